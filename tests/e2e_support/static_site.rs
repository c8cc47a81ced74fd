//! What a static site's file server promises beyond answering `/`: client-side routes get
//! index.html, index.html is revalidated on every use, the bundler's hashed assets are cached
//! for a year and sent gzip-compressed to a client that accepts it, and a missing file is a
//! 404, not index.html.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// The status, the headers (names lower-cased) and the body of one HTTP/1.0 GET.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub fn get(port: u16, path: &str, gzip: bool) -> Answer {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let encoding = if gzip {
        "Accept-Encoding: gzip\r\n"
    } else {
        ""
    };
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n{encoding}\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("GET {path}: no header end"));
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("GET {path}: not an HTTP answer: {head}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: buf[split + 4..].to_vec(),
    }
}

/// Checks the file server's promises on the running site; returns a one-line summary.
pub fn check(port: u16) -> String {
    let index = get(port, "/", false);
    assert_eq!(index.status, 200, "GET /");
    assert_eq!(
        index.header("cache-control"),
        Some("no-cache"),
        "GET /: index.html must be revalidated"
    );
    let route = get(port, "/dockgen/client/route", false);
    assert_eq!(
        route.status, 200,
        "a client-side route is answered with index.html"
    );
    assert_eq!(
        route.body, index.body,
        "a client-side route is answered with index.html"
    );
    let missing = get(port, "/no-such-file.js", false);
    assert_eq!(
        missing.status, 404,
        "a missing file with an extension is a 404"
    );

    let html = String::from_utf8_lossy(&index.body).into_owned();
    let asset = first_asset(&html)
        .unwrap_or_else(|| panic!("index.html names no local .js or .css file:\n{html}"));
    let plain = get(port, &asset, false);
    assert_eq!(plain.status, 200, "GET {asset}");
    assert_eq!(
        plain.header("cache-control"),
        Some("public, max-age=31536000, immutable"),
        "{asset}: a hashed asset is cached for a year"
    );
    let compressed = get(port, &asset, true);
    let gzipped = plain.body.len() > 1024;
    if gzipped {
        assert_eq!(
            compressed.header("content-encoding"),
            Some("gzip"),
            "{asset} ({} bytes) with Accept-Encoding: gzip",
            plain.body.len()
        );
        assert_eq!(
            &compressed.body[..2],
            &[0x1f, 0x8b],
            "{asset}: a gzip stream"
        );
        assert!(
            compressed.body.len() < plain.body.len(),
            "{asset}: compressed is smaller"
        );
    }
    format!(
        "{asset} immutable, {} -> {} bytes gzip{}",
        plain.body.len(),
        compressed.body.len(),
        if gzipped {
            ""
        } else {
            " (under 1 KiB: sent as is)"
        }
    )
}

/// The first `src="/..."` or `href="/..."` (or `./...`) of index.html that names a .js or .css file.
fn first_asset(html: &str) -> Option<String> {
    ["src=\"", "href=\""].iter().find_map(|attr| {
        html.match_indices(attr).find_map(|(i, _)| {
            let rest = &html[i + attr.len()..];
            let value = &rest[..rest.find('"')?];
            // index.html is at the root: `./x` is `/x`.
            let value = value
                .strip_prefix('.')
                .filter(|v| v.starts_with('/'))
                .unwrap_or(value);
            let local = value.starts_with('/') && !value.starts_with("//");
            let path = value.split(['?', '#']).next()?;
            (local && (path.ends_with(".js") || path.ends_with(".css"))).then(|| path.to_string())
        })
    })
}
