//! Host ports for `dockgen verify`: a port the compose file publishes that something on this
//! machine already listens on (a local registry on 5000, a developer's own server) is
//! published on a free port instead for the run, so the check says whether the app works, not
//! whether the host's port was free. The compose file is not changed.

use crate::compose_file::ComposeService;
use std::net::TcpListener;

/// A published port moved for this run: (service, the compose file's host port, the one used).
pub struct Moved {
    pub service: String,
    pub from: u16,
    pub to: u16,
}

/// `services` with every busy host port replaced by a free one, and what moved.
pub fn free(services: &[ComposeService]) -> (Vec<ComposeService>, Vec<Moved>) {
    let mut moved = Vec::new();
    let services = services
        .iter()
        .map(|s| {
            let mut s = s.clone();
            for p in &mut s.ports {
                if TcpListener::bind(("127.0.0.1", p.host)).is_ok() {
                    continue;
                }
                let Some(to) = TcpListener::bind(("127.0.0.1", 0))
                    .ok()
                    .and_then(|l| l.local_addr().ok())
                    .map(|a| a.port())
                else {
                    continue;
                };
                moved.push(Moved {
                    service: s.name.clone(),
                    from: p.host,
                    to,
                });
                p.host = to;
            }
            s
        })
        .collect();
    (services, moved)
}

/// The compose override lines that publish a service's ports where `free` put them
/// (`!override` replaces the list instead of adding to it).
pub fn override_lines(service: &ComposeService) -> String {
    let mut out = String::from("    ports: !override\n");
    for p in &service.ports {
        out.push_str(&format!(
            "      - \"127.0.0.1:{}:{}\"\n",
            p.host, p.container
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose_file::Published;

    #[test]
    fn a_busy_port_moves_and_a_free_one_stays() {
        let busy = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let taken = busy.local_addr().unwrap().port();
        let free_port = {
            let l = TcpListener::bind(("127.0.0.1", 0)).unwrap();
            l.local_addr().unwrap().port()
        };
        let service = |name: &str, host: u16| ComposeService {
            name: name.into(),
            image: None,
            build: None,
            ports: vec![Published {
                host,
                container: 5000,
            }],
            healthcheck: false,
            health_path: None,
            one_shot: false,
        };
        let (services, moved) = free(&[service("app", taken), service("web", free_port)]);
        assert_eq!(moved.len(), 1);
        assert_eq!((moved[0].service.as_str(), moved[0].from), ("app", taken));
        assert_ne!(services[0].ports[0].host, taken);
        assert_eq!(services[1].ports[0].host, free_port);
        assert!(override_lines(&services[0]).contains(":5000\""));
    }
}
