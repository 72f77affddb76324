//! A raw HTTP/1.1 server on 127.0.0.1, for answers wiremock cannot give: bodies that never end
//! or dribble, `Content-Length` headers that lie, connections closed mid-body, garbage.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// What a raw server saw: connections accepted and body bytes it managed to write.
#[derive(Default, Debug)]
pub(crate) struct Stats {
    pub(crate) connections: AtomicUsize,
    pub(crate) written: AtomicUsize,
}

/// Starts a server on 127.0.0.1:0; for each connection it reads the request (head and
/// `Content-Length` body), then hands the stream to `script`. Answers the base URL and stats.
pub(crate) async fn server<F, Fut>(script: F) -> (String, Arc<Stats>)
where
    F: Fn(TcpStream, Arc<Stats>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on 127.0.0.1");
    let addr = listener.local_addr().expect("an address");
    let stats = Arc::new(Stats::default());
    let script = Arc::new(script);
    let seen = Arc::clone(&stats);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            seen.connections.fetch_add(1, Ordering::SeqCst);
            let script = Arc::clone(&script);
            let stats = Arc::clone(&seen);
            tokio::spawn(async move {
                if read_request(&mut stream).await {
                    script(stream, stats).await;
                }
            });
        }
    });
    (format!("http://{addr}"), stats)
}

/// Reads one request head and its `Content-Length` body; false when the peer went away.
async fn read_request(stream: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return false;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    true
}

/// Writes `bytes`, counting them; false once the peer is gone.
pub(crate) async fn send(stream: &mut TcpStream, stats: &Stats, bytes: &[u8]) -> bool {
    if stream.write_all(bytes).await.is_err() {
        return false;
    }
    stats.written.fetch_add(bytes.len(), Ordering::SeqCst);
    true
}

/// The head of a 200 SCIM answer with these extra header lines (each ending in CRLF).
pub(crate) fn head(extra: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\n{extra}\r\n").into_bytes()
}

/// One chunk of a chunked body.
pub(crate) fn chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

/// A chunked body that starts a user and then sends one byte of its `displayName` every
/// `every`, forever (until the peer leaves).
pub(crate) async fn dribble(mut stream: TcpStream, stats: Arc<Stats>, every: Duration) {
    if !send(&mut stream, &stats, &head("Transfer-Encoding: chunked\r\n")).await {
        return;
    }
    let start = chunk(br#"{"id":"1","userName":"bjensen","displayName":""#);
    if !send(&mut stream, &stats, &start).await {
        return;
    }
    loop {
        tokio::time::sleep(every).await;
        if !send(&mut stream, &stats, &chunk(b"x")).await {
            return;
        }
    }
}

/// A chunked body of 64 KiB chunks as fast as the peer reads them, up to 1 GiB.
pub(crate) async fn firehose(mut stream: TcpStream, stats: Arc<Stats>) {
    if !send(&mut stream, &stats, &head("Transfer-Encoding: chunked\r\n")).await {
        return;
    }
    if !send(&mut stream, &stats, &chunk(br#"{"id":"1","userName":""#)).await {
        return;
    }
    let block = chunk(&vec![b'x'; 64 * 1024]);
    for _ in 0..16 * 1024 {
        if !send(&mut stream, &stats, &block).await {
            return;
        }
    }
}

/// Sends `bytes`, then keeps the connection open (silent) for a minute.
pub(crate) async fn then_hang(mut stream: TcpStream, stats: Arc<Stats>, bytes: Vec<u8>) {
    if send(&mut stream, &stats, &bytes).await {
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}

/// Sends `bytes`, then closes the connection.
pub(crate) async fn then_close(mut stream: TcpStream, stats: Arc<Stats>, bytes: Vec<u8>) {
    if send(&mut stream, &stats, &bytes).await {
        let _ = stream.shutdown().await;
    }
}
