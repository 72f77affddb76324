//! Client overhead per operation, against plain `reqwest` + `serde_json` doing the same requests.
//!
//! An HTTP/1.1 server (axum, keep-alive, `TCP_NODELAY`) runs in the bench process on
//! `127.0.0.1:0` and answers canned bytes by route, shaped like RFC 7643 section 8.3
//! enterprise users (the same generator as the `parse` bench):
//!
//! - `GET /scim/v2/Users/{id}`: one user (200, `ETag`, `application/scim+json`);
//! - `GET /scim/v2/Users?filter=..&startIndex=1&count=100`: a `ListResponse` of 100 users;
//! - `POST /scim/v2/Users`: 201 with the created user, without `meta.version` in the body
//!   but with an `ETag` header (so the `ETag` → `meta.version` step really runs).
//!
//! Each group (`get`, `list100`, `create`) compares, in the same run:
//!
//! - `plain_reqwest`: a `reqwest::Client` with the same settings as the SCIM client's
//!   transport (timeouts, no redirects), the same `Accept` / `Content-Type` headers and bearer
//!   token, the URL given as a string (`get`, `create`) or built with
//!   `Url::query_pairs_mut` (`list100`, as reqwest's `query` feature would); a status check,
//!   then `serde_json::from_slice` into plain `#[derive(Deserialize)]`
//!   structs of the same shape (and, for `create`, `serde_json::to_vec` of a plain struct as
//!   the body; `meta.version` taken from `ETag` when the body has none);
//! - `scim_client`: `Api::get` / `Api::list` / `Api::create` on a
//!   `User<EnterpriseUser>` handle, doing all it does: URL building and endpoint/id checks,
//!   headers, retries bookkeeping and tracing span, status and content-type checks, typed parse
//!   with case-insensitive keys, response-context validation, `ETag` → `meta.version`, and for
//!   `create` the create-context checks and serialization;
//! - `reqwest_bytes_only` (reference): the same request with plain reqwest, reading the body
//!   without parsing it: the floor that HTTP (client, loopback and server) costs.
//!
//! Everything (server, both clients) runs on one `current_thread` tokio runtime driven by
//! `block_on` on the bench thread, so an iteration is the whole exchange on one thread, with no
//! cross-thread wake-ups. On Linux the bench measures that thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID`), which on an idle machine matches wall time but moves much less
//! when other processes compete for the cores; elsewhere, wall time. (The kernel's loopback
//! receive work may run as softirq time outside the thread's account: it is the same on both
//! sides.) The server's share is the same on both sides too. The figure of merit is the ratio
//! `scim_client / plain_reqwest` of the medians (target: at most 1.15). The responses of both
//! sides are compared before measuring, and both send the same bytes.
//!
//! Criterion measures each function in turn, so a change in load between them moves the
//! ratio. After the groups, the bench therefore also runs a paired comparison: batches of
//! `plain_reqwest` and `scim_client` calls alternate (51 rounds of about 5 ms each per
//! operation, after 10 discarded ones), and it prints each operation's medians and the median
//! of the per-round ratios. It is skipped when criterion does not measure (`cargo test`,
//! `--test`, `--list`, `--profile-time`); with a filter that matches no function
//! (`cargo bench -p scim-client --bench client -- paired_only`) it runs alone, in about ten
//! seconds.
//!
//! Run with `cargo bench -p scim-client --bench client` (about a minute and a half).

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse as _;
use criterion::measurement::Measurement;
use criterion::{Criterion, criterion_group, criterion_main};
use scim_client::Client;
use scim_client::client::Api;
use scim_client::codec::{self, Context};
use scim_client::model::{EnterpriseUser, User};
use scim_client::protocol::SearchRequest;
use scim_client::transport::ReqwestTransport;

/// Users in the list page.
const PAGE: usize = 100;
/// The index of the user that `GET /Users/{id}` answers.
const GET_INDEX: usize = 7;
/// The index of the user that `POST /Users` creates.
const CREATE_INDEX: usize = 4_242;

const SCIM_JSON: &str = "application/scim+json";
/// The `Accept` header the SCIM client sends; the plain client sends the same.
const ACCEPT: &str = "application/scim+json, application/json";
const TOKEN: &str = "bench-token-0123456789abcdef";
const FILTER: &str = r#"userName sw "bjensen""#;

mod common;

use common::{baseline, uuid, version, write_user};

/// The JSON bytes of user `i` alone.
fn user_json(i: usize, with_version: bool) -> Vec<u8> {
    let mut out = String::with_capacity(2_400);
    write_user(&mut out, i, with_version);
    out.into_bytes()
}

/// The JSON bytes of a `ListResponse` page of `n` enterprise users.
fn list_response(n: usize) -> Vec<u8> {
    let mut out = String::with_capacity(n * 2_400);
    write!(
        out,
        r#"{{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":{n},"itemsPerPage":{n},"startIndex":1,"Resources":["#
    )
    .unwrap();
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        write_user(&mut out, i, true);
    }
    out.push_str("]}");
    out.into_bytes()
}

/// A canned answer: status, `ETag` (if any) and body, as `application/scim+json`.
fn answer(
    status: StatusCode,
    etag: Option<&HeaderValue>,
    body: &Bytes,
) -> axum::response::Response {
    let mut response = (status, body.clone()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    if let Some(etag) = etag {
        headers.insert(header::ETAG, etag.clone());
    }
    response
}

/// The canned server: the three routes, under `/scim/v2`.
fn router() -> Router {
    let get_body = Bytes::from(user_json(GET_INDEX, true));
    let get_etag = HeaderValue::try_from(version(GET_INDEX)).expect("a valid ETag");
    let list_body = Bytes::from(list_response(PAGE));
    let create_body = Bytes::from(user_json(CREATE_INDEX, false));
    let create_etag = HeaderValue::try_from(version(CREATE_INDEX)).expect("a valid ETag");
    let location = HeaderValue::try_from(format!(
        "https://example.com/v2/Users/{}",
        uuid(0x2819_c223, CREATE_INDEX)
    ))
    .expect("a valid Location");
    Router::new()
        .route(
            "/scim/v2/Users/{id}",
            axum::routing::get(move || async move {
                answer(StatusCode::OK, Some(&get_etag), &get_body)
            }),
        )
        .route(
            "/scim/v2/Users",
            axum::routing::get(move || async move { answer(StatusCode::OK, None, &list_body) })
                .post(move |body: Bytes| async move {
                    // The request body is read in full (as a real server would).
                    assert!(!body.is_empty(), "a create request has a body");
                    let mut response =
                        answer(StatusCode::CREATED, Some(&create_etag), &create_body);
                    response
                        .headers_mut()
                        .insert(header::LOCATION, location.clone());
                    response
                }),
        )
}

/// Starts the server on `rt` and answers its base URL (`http://127.0.0.1:port/scim/v2`).
fn start_server(rt: &tokio::runtime::Runtime) -> String {
    use axum::serve::ListenerExt as _;
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("a local address");
    let listener = listener.tap_io(|tcp| {
        tcp.set_nodelay(true).expect("TCP_NODELAY");
    });
    rt.spawn(async move {
        axum::serve(listener, router())
            .await
            .expect("the server runs");
    });
    format!("http://{addr}/scim/v2")
}

/// The plain client: reqwest with the settings of `ReqwestTransport::with_timeout(30 s)`.
struct Plain {
    http: reqwest::Client,
    base: String,
    users: reqwest::Url,
}

impl Plain {
    fn new(base: &str) -> Self {
        let timeout = Duration::from_secs(30);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client");
        Self {
            http,
            base: base.to_owned(),
            users: reqwest::Url::parse(&format!("{base}/Users")).expect("a valid URL"),
        }
    }

    fn get_request(&self, id: &str) -> reqwest::RequestBuilder {
        self.http
            .get(format!("{}/Users/{id}", self.base))
            .header(header::ACCEPT, ACCEPT)
            .bearer_auth(TOKEN)
    }

    fn list_request(&self) -> reqwest::RequestBuilder {
        let mut url = self.users.clone();
        url.query_pairs_mut().extend_pairs([
            ("filter", FILTER),
            ("startIndex", "1"),
            ("count", "100"),
        ]);
        self.http
            .get(url)
            .header(header::ACCEPT, ACCEPT)
            .bearer_auth(TOKEN)
    }

    fn create_request(&self, user: &baseline::User) -> reqwest::RequestBuilder {
        let body = serde_json::to_vec(user).expect("the user serializes");
        self.http
            .post(format!("{}/Users", self.base))
            .header(header::ACCEPT, ACCEPT)
            .header(header::CONTENT_TYPE, SCIM_JSON)
            .bearer_auth(TOKEN)
            .body(body)
    }

    /// Sends, checks the status, and parses the body (taking `meta.version` from `ETag`).
    async fn user(&self, request: reqwest::RequestBuilder, status: u16) -> baseline::User {
        let response = request.send().await.expect("the request succeeds");
        assert_eq!(response.status().as_u16(), status, "status");
        let etag = response
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.expect("the body");
        let mut user: baseline::User = serde_json::from_slice(&body).expect("a user");
        if let Some(meta) = user.meta.as_mut()
            && meta.version.is_none()
        {
            meta.version = etag;
        }
        user
    }

    async fn get(&self, id: &str) -> baseline::User {
        self.user(self.get_request(id), 200).await
    }

    async fn list(&self) -> baseline::ListResponse {
        let response = self
            .list_request()
            .send()
            .await
            .expect("the request succeeds");
        assert_eq!(response.status().as_u16(), 200, "status");
        let body = response.bytes().await.expect("the body");
        serde_json::from_slice(&body).expect("a list response")
    }

    async fn create(&self, user: &baseline::User) -> baseline::User {
        self.user(self.create_request(user), 201).await
    }

    /// The reference: the same request, the body read but not parsed.
    async fn bytes_only(request: reqwest::RequestBuilder) -> usize {
        let response = request.send().await.expect("the request succeeds");
        assert!(response.status().is_success(), "status");
        response.bytes().await.expect("the body").len()
    }
}

type ScimUser = User<EnterpriseUser>;
type Users = Api<ScimUser, ReqwestTransport>;

fn list_params() -> SearchRequest {
    SearchRequest::new()
        .filter(FILTER)
        .start_index(1)
        .count(PAGE as u64)
}

/// Not timed: both clients must get the same data, and send the same create body, so the
/// benchmark cannot measure a broken exchange or unequal work.
fn sanity_check(
    rt: &tokio::runtime::Runtime,
    plain: &Plain,
    users: &Users,
    get_id: &str,
    plain_new: &baseline::User,
    scim_new: &ScimUser,
) {
    rt.block_on(async {
        let (p, s) = (
            plain.get(get_id).await,
            users.get(get_id).await.expect("get"),
        );
        let expected = format!("bjensen{GET_INDEX}@example.com");
        assert_eq!(p.user_name.as_deref(), Some(&*expected), "plain userName");
        assert_eq!(s.user_name.as_deref(), Some(&*expected), "scim userName");
        assert_eq!(
            s.meta.as_ref().and_then(|m| m.version.as_deref()),
            p.meta.as_ref().and_then(|m| m.version.as_deref()),
            "meta.version"
        );

        let (p, s) = (
            plain.list().await,
            users.list(&list_params()).await.expect("list"),
        );
        assert_eq!(p.resources.len(), PAGE, "plain count");
        assert_eq!(s.resources.len(), PAGE, "scim count");
        assert_eq!(s.total_results, p.total_results);
        for i in [0, PAGE - 1] {
            assert_eq!(
                s.resources[i].user_name, p.resources[i].user_name,
                "user {i}"
            );
            let s_mgr = s.resources[i]
                .extension::<EnterpriseUser>()
                .and_then(|e| e.manager.as_ref())
                .and_then(|m| m.value.clone());
            let p_mgr = p.resources[i]
                .enterprise
                .as_ref()
                .and_then(|e| e.manager.as_ref())
                .and_then(|m| m.value.clone());
            assert!(s_mgr.is_some() && s_mgr == p_mgr, "manager of user {i}");
        }

        let scim_body = codec::to_vec(scim_new, Context::CreateRequest).expect("a create body");
        let plain_body = serde_json::to_vec(plain_new).expect("serializes");
        assert_eq!(
            String::from_utf8_lossy(&scim_body),
            String::from_utf8_lossy(&plain_body),
            "the create bodies"
        );
        let (p, s) = (
            plain.create(plain_new).await,
            users.create(scim_new).await.expect("create"),
        );
        assert!(s.id.is_some(), "the created user has an id");
        assert_eq!(s.id, p.id, "created id");
        assert_eq!(s.user_name, p.user_name, "created userName");
        let expected = Some(version(CREATE_INDEX));
        assert_eq!(
            s.meta.as_ref().and_then(|m| m.version.clone()),
            expected,
            "scim: meta.version from ETag"
        );
        assert_eq!(
            p.meta.as_ref().and_then(|m| m.version.clone()),
            expected,
            "plain: meta.version from ETag"
        );
    });
}

/// The clock of the measurements, in nanoseconds: thread CPU time on Linux, else wall time.
fn clock_ns() -> u64 {
    #[cfg(target_os = "linux")]
    {
        cpu_time::now_ns()
    }
    #[cfg(not(target_os = "linux"))]
    {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        let elapsed = START.get_or_init(std::time::Instant::now).elapsed();
        u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)
    }
}

/// Measured rounds of the paired comparison, after `PAIRED_WARMUP` discarded ones.
const PAIRED_ROUNDS: usize = 51;
const PAIRED_WARMUP: usize = 10;
/// The length of one batch of calls in the paired comparison.
const PAIRED_BATCH_NS: f64 = 5_000_000.0;

/// The mean time in nanoseconds of one of `n` calls of `f`.
#[allow(clippy::cast_precision_loss)] // Nanoseconds of a few milliseconds.
fn batch<F: Future>(rt: &tokio::runtime::Runtime, n: u32, f: &mut impl FnMut() -> F) -> f64 {
    let start = clock_ns();
    for _ in 0..n {
        black_box(rt.block_on(f()));
    }
    clock_ns().saturating_sub(start) as f64 / f64::from(n)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The result of a paired comparison: medians per call, and the median of the per-round
/// ratios.
struct Paired {
    plain_ns: f64,
    scim_ns: f64,
    ratio: f64,
}

/// Alternates batches of `plain` and `scim` calls (about 5 ms each, the order swapped every
/// round), so that both sides see the same machine state; slow drifts in load or frequency
/// cancel out of the per-round ratios.
fn paired<FP: Future, FS: Future>(
    rt: &tokio::runtime::Runtime,
    mut plain: impl FnMut() -> FP,
    mut scim: impl FnMut() -> FS,
) -> Paired {
    let once = batch(rt, 3, &mut plain).max(1.0);
    // At least one call, at most a few thousand: the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n = (PAIRED_BATCH_NS / once).clamp(1.0, 10_000.0) as u32;
    let (mut p, mut s, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..PAIRED_WARMUP + PAIRED_ROUNDS {
        let (tp, ts) = if round % 2 == 0 {
            let tp = batch(rt, n, &mut plain);
            (tp, batch(rt, n, &mut scim))
        } else {
            let ts = batch(rt, n, &mut scim);
            (batch(rt, n, &mut plain), ts)
        };
        if round >= PAIRED_WARMUP {
            p.push(tp);
            s.push(ts);
            r.push(ts / tp);
        }
    }
    Paired {
        plain_ns: median(p),
        scim_ns: median(s),
        ratio: median(r),
    }
}

/// Whether criterion runs for real (as criterion decides: `--bench` without `--test`, and not
/// `--list` or `--profile-time`), so the paired comparison is worth its few seconds.
fn measuring() -> bool {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    has("--bench")
        && !has("--test")
        && !has("--list")
        && !args.iter().any(|a| a.starts_with("--profile-time"))
}

/// The paired comparison of the three operations, printed as a table of ratios.
fn paired_report(
    rt: &tokio::runtime::Runtime,
    plain: &Plain,
    users: &Users,
    get_id: &str,
    plain_new: &baseline::User,
    scim_new: &ScimUser,
) {
    let params = list_params();
    let results = [
        (
            "get",
            paired(
                rt,
                || plain.get(get_id),
                || async { users.get(get_id).await.expect("get") },
            ),
        ),
        (
            "list100",
            paired(
                rt,
                || plain.list(),
                || async { users.list(&params).await.expect("list") },
            ),
        ),
        (
            "create",
            paired(
                rt,
                || plain.create(plain_new),
                || async { users.create(scim_new).await.expect("create") },
            ),
        ),
    ];
    let clock = if cfg!(target_os = "linux") {
        "thread CPU time"
    } else {
        "wall time"
    };
    println!(
        "\nscim_client vs plain_reqwest, interleaved ({clock}, medians of {PAIRED_ROUNDS} rounds; target: ratio <= 1.15):"
    );
    for (name, r) in results {
        println!(
            "  {name:<8} plain_reqwest {:>9.1} µs   scim_client {:>9.1} µs   ratio {:.2}{}",
            r.plain_ns / 1_000.0,
            r.scim_ns / 1_000.0,
            r.ratio,
            if r.ratio <= 1.15 {
                ""
            } else {
                "  (over target)"
            },
        );
    }
}

fn bench<M: Measurement>(c: &mut Criterion<M>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let base = start_server(&rt);
    let plain = Plain::new(&base);
    let client = Client::builder(&base)
        .bearer_token(TOKEN)
        .build()
        .expect("a SCIM client");
    let users: Users = client.resource::<ScimUser>();

    let get_id = uuid(0x2819_c223, GET_INDEX);
    // The user to create: the plain one without its read-only attributes; the SCIM one parsed
    // from the same bytes (in the create-request context, so it is a valid create payload).
    let full: baseline::User =
        serde_json::from_slice(&user_json(CREATE_INDEX, true)).expect("a user");
    let plain_new = full.create_shape();
    let scim_new: ScimUser = codec::from_slice(
        &serde_json::to_vec(&plain_new).expect("serializes"),
        Context::CreateRequest,
    )
    .expect("a valid create payload");

    sanity_check(&rt, &plain, &users, &get_id, &plain_new, &scim_new);

    let mut g = c.benchmark_group("get");
    g.bench_function("reqwest_bytes_only", |b| {
        b.iter(|| rt.block_on(Plain::bytes_only(plain.get_request(black_box(&get_id)))));
    });
    g.bench_function("plain_reqwest", |b| {
        b.iter(|| rt.block_on(plain.get(black_box(&get_id))));
    });
    g.bench_function("scim_client", |b| {
        b.iter(|| rt.block_on(users.get(black_box(&get_id))).expect("get"));
    });
    g.finish();

    let params = list_params();
    let mut g = c.benchmark_group("list100");
    g.bench_function("reqwest_bytes_only", |b| {
        b.iter(|| rt.block_on(Plain::bytes_only(plain.list_request())));
    });
    g.bench_function("plain_reqwest", |b| {
        b.iter(|| rt.block_on(plain.list()));
    });
    g.bench_function("scim_client", |b| {
        b.iter(|| rt.block_on(users.list(black_box(&params))).expect("list"));
    });
    g.finish();

    let mut g = c.benchmark_group("create");
    g.bench_function("reqwest_bytes_only", |b| {
        b.iter(|| {
            rt.block_on(Plain::bytes_only(
                plain.create_request(black_box(&plain_new)),
            ))
        });
    });
    g.bench_function("plain_reqwest", |b| {
        b.iter(|| rt.block_on(plain.create(black_box(&plain_new))));
    });
    g.bench_function("scim_client", |b| {
        b.iter(|| {
            rt.block_on(users.create(black_box(&scim_new)))
                .expect("create")
        });
    });
    g.finish();

    if measuring() {
        paired_report(&rt, &plain, &users, &get_id, &plain_new, &scim_new);
    }
}

/// The CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), in nanoseconds: the whole
/// exchange runs on the bench thread, so this is its CPU cost, unaffected by other processes
/// competing for the cores (wall time is, badly, on a busy machine).
#[cfg(target_os = "linux")]
mod cpu_time {
    use criterion::measurement::{Measurement, ValueFormatter, WallTime};
    use rustix::time::{ClockId, clock_gettime};

    /// Measures thread CPU time; values are nanoseconds, formatted like wall time.
    pub(crate) struct ThreadCpuTime(WallTime);

    impl ThreadCpuTime {
        pub(crate) fn new() -> Self {
            Self(WallTime)
        }
    }

    /// The CPU time of the calling thread so far.
    pub(crate) fn now_ns() -> u64 {
        let t = clock_gettime(ClockId::ThreadCPUTime);
        let secs = u64::try_from(t.tv_sec).unwrap_or(0);
        let nanos = u64::try_from(t.tv_nsec).unwrap_or(0);
        secs * 1_000_000_000 + nanos
    }

    impl Measurement for ThreadCpuTime {
        type Intermediate = u64;
        type Value = u64;

        fn start(&self) -> u64 {
            now_ns()
        }

        fn end(&self, start: u64) -> u64 {
            now_ns().saturating_sub(start)
        }

        fn add(&self, a: &u64, b: &u64) -> u64 {
            a + b
        }

        fn zero(&self) -> u64 {
            0
        }

        #[allow(clippy::cast_precision_loss)] // Exact below 2^53 ns (104 days).
        fn to_f64(&self, value: &u64) -> f64 {
            *value as f64
        }

        fn formatter(&self) -> &dyn ValueFormatter {
            self.0.formatter()
        }
    }
}

/// Thread CPU time on Linux, wall time elsewhere.
#[cfg(target_os = "linux")]
fn config() -> Criterion<cpu_time::ThreadCpuTime> {
    Criterion::default()
        .with_measurement(cpu_time::ThreadCpuTime::new())
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
}

/// Thread CPU time on Linux, wall time elsewhere.
#[cfg(not(target_os = "linux"))]
fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench
}
criterion_main!(benches);
