//! Front-end apps whose build writes static files and that have no server of their own
//! (create-react-app, Vite, Angular, Vue CLI, Parcel, Rsbuild, Astro), and framework apps
//! configured to export static files (found in `exported_site.rs`): the image serves the build
//! output with a small file server instead of running Node.js. The output folder comes from the
//! tool's configuration (vite.config `build.outDir`, angular.json `outputPath`, vue.config
//! `outputDir`) or the tool's default.

use super::package_json::PackageJson;
use crate::facts::{Evidence, Fact, ServiceFacts};
use crate::repo::{join, RepoTree};
use regex::Regex;
use std::sync::LazyLock;

/// The start command of a static site: dockgen's file server on the build output.
pub const SERVER: &[&str] = &["/usr/local/bin/fileserver", "/srv"];
/// The folder under the build output where each tool keeps only content-hashed files, which
/// the file server lets browsers cache for a year (`-immutable DIR`). Tools not listed name
/// their hashed files with an 8-character hash, which the server recognises by itself.
const IMMUTABLE_DIRS: &[(&str, &str)] = &[
    ("vite", "assets"),
    ("create-react-app", "static"),
    ("rsbuild", "static"),
    ("astro", "_astro"),
    ("nextjs", "_next/static"),
    ("sveltekit", "_app/immutable"),
];

/// The port the file server listens on.
pub const PORT: u16 = 8080;

/// Build tools, most specific first: (package, framework name, default output folder).
const BUILDERS: &[(&str, &str, &str)] = &[
    ("@angular/build", "angular", "dist"),
    ("@angular-devkit/build-angular", "angular", "dist"),
    ("react-scripts", "create-react-app", "build"),
    ("@vue/cli-service", "vue-cli", "dist"),
    ("astro", "astro", "dist"),
    ("@rsbuild/core", "rsbuild", "dist"),
    ("parcel", "parcel", "dist"),
    ("vite", "vite", "dist"),
];

static VITE_OUT_DIR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"outDir\s*:\s*['"`]([^'"`]+)['"`]"#).expect("valid pattern"));
static ASTRO_SERVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"output\s*:\s*['"`](?:server|hybrid)['"`]"#).expect("valid pattern")
});
static VUE_OUTPUT_DIR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"outputDir\s*:\s*['"`]([^'"`]+)['"`]"#).expect("valid pattern"));

pub struct StaticSite {
    pub framework: Fact<String>,
    pub output: Fact<String>,
}

/// The static site in `dir`, when package.json depends on a front-end build tool.
pub fn detect(tree: &RepoTree, dir: &str, pj: &PackageJson) -> Option<StaticSite> {
    let (package, name, default_out) = BUILDERS.iter().find(|(p, _, _)| pj.depends_on(p))?;
    // Astro rendering on a server (`output: 'server'`, an adapter) is no static site.
    if *name == "astro" && astro_renders_on_a_server(tree, dir) {
        return None;
    }
    let framework = Fact::new(
        name.to_string(),
        pj.evidence_for(package)
            .because(format!("{package} builds the site to static files")),
    );
    let configured = match *name {
        "angular" => angular_output(tree, dir),
        "vite" => config_value(
            tree,
            dir,
            &[
                "vite.config.ts",
                "vite.config.js",
                "vite.config.mjs",
                "vite.config.mts",
            ],
            &VITE_OUT_DIR,
            "build.outDir",
        ),
        "vue-cli" => config_value(
            tree,
            dir,
            &["vue.config.js", "vue.config.cjs"],
            &VUE_OUTPUT_DIR,
            "outputDir",
        ),
        _ => None,
    };
    let output = configured.unwrap_or_else(|| {
        Fact::new(
            default_out.to_string(),
            pj.evidence_for(package).because(format!(
                "{name} writes its build to {default_out}/ by default"
            )),
        )
    });
    Some(StaticSite { framework, output })
}

fn astro_renders_on_a_server(tree: &RepoTree, dir: &str) -> bool {
    let names = [
        "astro.config.mjs",
        "astro.config.ts",
        "astro.config.js",
        "astro.config.mts",
    ];
    first_config(tree, dir, &names)
        .is_some_and(|(_, text)| ASTRO_SERVER.is_match(&text) || text.contains("adapter:"))
}

/// The first of `names` in `dir` that exists, with its text.
pub(super) fn first_config(tree: &RepoTree, dir: &str, names: &[&str]) -> Option<(String, String)> {
    names
        .iter()
        .map(|n| join(dir, n))
        .find_map(|p| tree.read_text(&p).ok().map(|t| (p, t)))
}

pub(super) fn config_value(
    tree: &RepoTree,
    dir: &str,
    names: &[&str],
    pattern: &Regex,
    key: &str,
) -> Option<Fact<String>> {
    names.iter().find_map(|name| {
        let path = join(dir, name);
        let text = tree.read_text(&path).ok()?;
        let caps = pattern.captures(&text)?;
        let value = clean(&caps[1])?;
        let line = crate::detect::source_scan::line_at(&text, caps.get(0)?.start());
        Some(Fact::new(
            value,
            Evidence::at(path, Some(line)).because(key.to_string()),
        ))
    })
}

/// angular.json: the first project's build `outputPath` (a string, or `{ "base": ... }`); the
/// application builder (Angular 17+) writes the browser files to its `browser/` folder.
fn angular_output(tree: &RepoTree, dir: &str) -> Option<Fact<String>> {
    let path = join(dir, "angular.json");
    let text = tree.read_text(&path).ok()?;
    let doc: serde_json::Value = serde_json::from_str(&text).ok()?;
    let projects = doc.get("projects")?.as_object()?;
    let project = doc
        .get("defaultProject")
        .and_then(|p| p.as_str())
        .and_then(|p| projects.get(p))
        .or_else(|| projects.values().next())?;
    let build = project
        .get("architect")
        .or_else(|| project.get("targets"))?
        .get("build")?;
    let builder = build.get("builder")?.as_str().unwrap_or("");
    let output = build.get("options")?.get("outputPath")?;
    let base = match output {
        serde_json::Value::String(s) => s.clone(),
        other => other.get("base")?.as_str()?.to_string(),
    };
    let base = clean(&base)?;
    // `{ "base": ..., "browser": "" }` puts the site in base itself.
    let browser_folder = output
        .get("browser")
        .and_then(|b| b.as_str())
        .unwrap_or("browser")
        .trim_matches('/');
    let browser = builder.ends_with(":application") && !browser_folder.is_empty();
    let value = if browser {
        format!("{base}/{}", clean(browser_folder)?)
    } else {
        base
    };
    let line = crate::detect::source_scan::line_of(&text, "\"outputPath\"");
    Some(Fact::new(
        value,
        Evidence::at(path, line).because(if browser {
            "outputPath; the application builder writes the site to its browser folder"
        } else {
            "outputPath"
        }),
    ))
}

/// A relative folder inside the project, or None.
fn clean(path: &str) -> Option<String> {
    let path = path.trim_start_matches("./").trim_end_matches('/');
    let ok = !path.is_empty()
        && !path.starts_with('/')
        && !path.split('/').any(|p| p == ".." || p.is_empty())
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '.'));
    ok.then(|| path.to_string())
}

/// A front-end build with no server of its own: the image serves its output with dockgen's
/// file server (runtime `static`), on its port, probed on `/`.
pub fn serve(facts: &mut ServiceFacts, site: StaticSite) {
    let why = format!(
        "{} builds static files and the project has no server: served from {}/ by dockgen's file server",
        site.framework.value, site.output.value
    );
    facts
        .warnings
        .retain(|w| !w.contains("no production entry point was found"));
    let evidence = site.framework.evidence.clone();
    let immutable = IMMUTABLE_DIRS
        .iter()
        .find(|(tool, _)| *tool == site.framework.value)
        .map(|(_, dir)| ["-immutable", dir]);
    let mut start: Vec<String> = vec![SERVER[0].to_string()];
    start.extend(immutable.iter().flatten().map(|w| w.to_string()));
    start.push(SERVER[1].to_string());
    facts.start = Some(Fact::new(start, evidence.clone().because(why)));
    facts.port = Some(Fact::new(
        PORT,
        evidence
            .clone()
            .because("dockgen's file server listens on 8080"),
    ));
    facts.health = Some(Fact::new(
        "/".to_string(),
        evidence.clone().because("the site's index.html"),
    ));
    facts.detail("runtime", "static", evidence);
    facts.detail("build_output", site.output.value, site.output.evidence);
    facts.framework = Some(site.framework);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Option<(String, String, String)> {
        let tree = RepoTree::from_files(files.iter().map(|(p, t)| (*p, *t)));
        let text = files.iter().find(|(p, _)| *p == "package.json")?.1;
        let pj = PackageJson::parse("package.json", text.into()).ok()?;
        let s = detect(&tree, ".", &pj)?;
        Some((
            s.framework.value,
            s.output.value,
            s.output.evidence.source(),
        ))
    }

    #[test]
    fn output_folders_come_from_the_tool_configuration() {
        let vite = r#"{"devDependencies": {"vite": "^5"}}"#;
        assert_eq!(site(&[("package.json", vite)]).unwrap().1, "dist");
        let config = "export default defineConfig({\n  build: { outDir: './public/app' },\n})\n";
        assert_eq!(
            site(&[("package.json", vite), ("vite.config.ts", config)]).unwrap(),
            (
                "vite".into(),
                "public/app".into(),
                "vite.config.ts:2".into()
            )
        );
        let cra = r#"{"dependencies": {"react-scripts": "5.0.1"}}"#;
        assert_eq!(site(&[("package.json", cra)]).unwrap().1, "build");
        let ng = r#"{"devDependencies": {"@angular/build": "^20"}}"#;
        let angular = r#"{"projects": {"shop": {"architect": {"build": {"builder": "@angular/build:application", "options": {"outputPath": "dist/shop"}}}}}}"#;
        assert_eq!(
            site(&[("package.json", ng), ("angular.json", angular)])
                .unwrap()
                .1,
            "dist/shop/browser"
        );
        // An output folder outside the project is not used: the default is.
        let outside = "export default { build: { outDir: '../www' } }";
        assert_eq!(
            site(&[("package.json", vite), ("vite.config.js", outside)])
                .unwrap()
                .1,
            "dist"
        );
        assert!(site(&[("package.json", r#"{"dependencies": {"express": "4"}}"#)]).is_none());
    }

    #[test]
    fn astro_on_a_server_is_not_a_static_site() {
        let astro = r#"{"dependencies": {"astro": "^5", "@astrojs/node": "^9"}}"#;
        assert_eq!(site(&[("package.json", astro)]).unwrap().1, "dist");
        let ssr = "import node from '@astrojs/node';\nexport default defineConfig({\n  output: 'server',\n  adapter: node({ mode: 'standalone' }),\n});\n";
        assert!(site(&[("package.json", astro), ("astro.config.mjs", ssr)]).is_none());
    }

    #[test]
    fn angular_browser_folder_can_be_the_base_itself() {
        let ng = r#"{"devDependencies": {"@angular/build": "^20"}}"#;
        let angular = r#"{"projects": {"shop": {"architect": {"build": {"builder": "@angular/build:application", "options": {"outputPath": {"base": "dist/shop", "browser": ""}}}}}}}"#;
        assert_eq!(
            site(&[("package.json", ng), ("angular.json", angular)])
                .unwrap()
                .1,
            "dist/shop"
        );
    }
}
