fn main() {
    std::process::exit(dockgen::run());
}
