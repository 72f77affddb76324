//! The hostile-response corpus: one hostile server answer per test, fed to the async
//! `Client` (a few to `blocking::Client` and to the pure codec), each asserting the typed
//! `Error` variant it must end in (and that its message names what was wrong and where) or the
//! correct result, within a bounded time.
//!
//! Servers are wiremock fakes on 127.0.0.1, and for what wiremock cannot do (a body that never
//! ends, a `Content-Length` that lies, a connection closed mid-body) a raw TCP server on
//! 127.0.0.1 (`hostile/raw.rs`). No other address is ever used.
//!
//! Most cases are one line of a `cases!` table: the operation, the hostile answer, and the
//! expected outcome (`Expect`). The classes are summed up in `RELIABILITY.md`.

#![cfg(feature = "reqwest")]

mod hostile {
    mod common;
    mod raw;

    #[cfg(feature = "blocking")]
    mod blocking;
    mod bodies;
    mod bulk;
    mod codec;
    mod content;
    mod errors;
    mod lists;
    mod redirects;
    mod retries;
    mod schemas;
    mod streams;
    mod transport;
    mod types;
}
