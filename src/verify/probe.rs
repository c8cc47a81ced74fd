//! Requests from the host, as a user or a load balancer would: an HTTP GET on a published port,
//! or a plain TCP connect where the service has no HTTP health path.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// HTTP/1.0 GET on 127.0.0.1:port; the status code of the answer.
pub fn http_status(port: u16, path: &str) -> Result<u16, String> {
    let mut s = connect(port)?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    // One write: a request split over several segments trips naive servers.
    let request = format!(
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: dockgen-verify\r\n\r\n"
    );
    s.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut head = [0u8; 64];
    let n = s.read(&mut head).map_err(|e| e.to_string())?;
    let head = String::from_utf8_lossy(&head[..n]);
    head.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| {
            format!(
                "not an HTTP answer: {:?}",
                head.lines().next().unwrap_or("")
            )
        })
}

/// A TCP connection to 127.0.0.1:port is accepted.
pub fn tcp_open(port: u16) -> Result<(), String> {
    connect(port).map(|_| ())
}

fn connect(port: u16) -> Result<TcpStream, String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn reads_the_status_of_a_local_server() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // Another test's connect may land here first (ports are reused): answer the GET only.
        let server = std::thread::spawn(move || loop {
            let (mut conn, _) = listener.accept().unwrap();
            conn.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .ok();
            // Read the whole request head, however many segments it comes in.
            let mut request = Vec::new();
            let mut buf = [0u8; 256];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            if request.starts_with(b"GET /health") {
                conn.write_all(b"HTTP/1.1 204 No Content\r\n\r\n").unwrap();
                return;
            }
        });
        assert_eq!(http_status(port, "/health"), Ok(204));
        server.join().unwrap();
    }

    #[test]
    fn a_closed_port_is_an_error() {
        // A port just freed can be taken by a test running beside this one: try a few.
        let closed_one = (0..5).any(|_| {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            tcp_open(port).is_err()
        });
        assert!(closed_one);
    }
}
