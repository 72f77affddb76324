//! Throughput of parsing and serializing a page of 10,000 enterprise users, against plain serde.
//!
//! The input is generated in code (deterministically): a `ListResponse` of 10,000 users shaped
//! like the RFC 7643 section 8.3 example (core attributes, name, 2 emails, 1 address, 2 phone
//! numbers, 1 group, the enterprise extension with a manager, and meta), every value varied by
//! the user's index. `password` and `x509Certificates` are left out (never returned / large).
//!
//! Compared pairs, all measured in the same run so that their ratio is meaningful:
//!
//! - `parse/baseline_serde` vs `parse/scim_typed_validated`: `serde_json::from_slice` into
//!   plain `#[derive(Deserialize)]` structs of the same shape (exact camelCase keys, no
//!   validation) vs `ListResponse::<User<EnterpriseUser>>::from_slice(.., QueryResponse)`
//!   (typed parse, case-insensitive keys, unknown attributes kept, and response-context
//!   validation of every user).
//! - `serialize/baseline_serde_create_shape` vs `serialize/scim_create_context`: the plain
//!   structs with the read-only attributes (`id`, `meta`, `groups`, `manager.displayName`)
//!   cleared, written with `serde_json::to_vec`, vs `codec::to_vec(&user, CreateRequest)`, which
//!   checks the create rules and drops those attributes itself. Both write the same bytes
//!   (checked before measuring).
//! - `serialize/baseline_serde_create_view` vs `serialize/scim_create_context`: the same
//!   comparison from the same data: the full baseline users (read-only attributes present in
//!   memory, as in the SCIM users) written through a `#[derive(Serialize)]` view that leaves the
//!   read-only attributes out, as a hand-written serde model of a create request does. This is
//!   the like-for-like pair (same heap layout, same data, same bytes); the create-shape pair
//!   above gives the baseline smaller, denser users.
//! - `serialize/baseline_serde` writes the full baseline users, for reference only.
//!
//! Both create-context benches serialize freshly cloned users, so that the heap layout (which
//! dominates at this size: a parsed page is scattered, a clone is laid out user by user) is the
//! same on both sides.
//!
//! Each serialize iteration writes all 10,000 users one by one (one `Vec<u8>` per user).
//! Throughput is reported in users (`Throughput::Elements(10_000)`).
//!
//! Run with `cargo bench -p scim-client --bench parse` (about two minutes on two cores).

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use scim_client::codec::{self, Context};
use scim_client::model::{EnterpriseUser, User};
use scim_client::protocol::ListResponse;

/// Users in the generated page.
const USERS: usize = 10_000;

mod common;

use common::{baseline, write_user};

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

type ScimPage = ListResponse<User<EnterpriseUser>>;

fn parse_scim(bytes: &[u8]) -> ScimPage {
    ScimPage::from_slice(bytes, Context::QueryResponse).expect("the generated page is valid")
}

fn parse_baseline(bytes: &[u8]) -> baseline::ListResponse {
    serde_json::from_slice(bytes).expect("the generated page parses")
}

/// Not timed: both parsers must agree, and both create-shape writers must write the same bytes,
/// so the benchmark cannot measure a broken parse or an unequal amount of output.
fn sanity_check(bytes: &[u8]) -> (ScimPage, baseline::ListResponse) {
    let scim = parse_scim(bytes);
    let base = parse_baseline(bytes);
    assert_eq!(scim.resources.len(), USERS);
    assert_eq!(base.resources.len(), USERS);
    for i in [0, USERS / 2, USERS - 1] {
        let (s, b) = (&scim.resources[i], &base.resources[i]);
        assert_eq!(s.user_name, b.user_name, "userName of user {i}");
        assert_eq!(
            s.user_name.as_deref(),
            Some(&*format!("bjensen{i}@example.com"))
        );
        let s_mgr = s
            .extension::<EnterpriseUser>()
            .and_then(|e| e.manager.as_ref())
            .and_then(|m| m.value.as_deref());
        let b_mgr = b
            .enterprise
            .as_ref()
            .and_then(|e| e.manager.as_ref())
            .and_then(|m| m.value.as_deref());
        assert!(s_mgr.is_some(), "manager value of user {i}");
        assert_eq!(s_mgr, b_mgr, "manager value of user {i}");
        assert_eq!(
            s.meta.as_ref().and_then(|m| m.last_modified),
            b.meta.as_ref().and_then(|m| m.last_modified),
            "meta.lastModified of user {i}"
        );
        let scim_create = codec::to_vec(s, Context::CreateRequest).expect("a valid create body");
        let base_create = serde_json::to_vec(&b.create_shape()).expect("serializes");
        let base_view = serde_json::to_vec(&b.create_view()).expect("serializes");
        assert_eq!(base_view, base_create, "create view bytes of user {i}");
        assert_eq!(
            String::from_utf8_lossy(&scim_create),
            String::from_utf8_lossy(&base_create),
            "create-shape bytes of user {i}"
        );
    }
    (scim, base)
}

fn bench(c: &mut Criterion) {
    let bytes = list_response(USERS);
    let (scim, base) = sanity_check(&bytes);
    let base_create: Vec<baseline::User> = base
        .resources
        .iter()
        .map(baseline::User::create_shape)
        .collect();
    // The baseline's create-shape users are fresh clones (their heap data laid out one user
    // after the other); give the SCIM side the same memory layout, so that both serialize
    // benches differ only by the code that runs.
    let scim_create: Vec<User<EnterpriseUser>> = scim.resources.clone();
    // The full baseline users, cloned the same way, for the view that leaves the read-only
    // attributes out as `scim_create_context` does: same data, same layout, same bytes.
    let base_full: Vec<baseline::User> = base.resources.clone();

    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(USERS as u64));
    g.bench_function("baseline_serde", |b| {
        b.iter(|| parse_baseline(black_box(&bytes)));
    });
    g.bench_function("scim_typed_validated", |b| {
        b.iter(|| parse_scim(black_box(&bytes)));
    });
    g.finish();

    let mut g = c.benchmark_group("serialize");
    g.throughput(Throughput::Elements(USERS as u64));
    g.bench_function("baseline_serde", |b| {
        b.iter(|| {
            let mut total = 0;
            for u in black_box(&base.resources) {
                total += serde_json::to_vec(u).expect("serializes").len();
            }
            total
        });
    });
    g.bench_function("baseline_serde_create_shape", |b| {
        b.iter(|| {
            let mut total = 0;
            for u in black_box(&base_create) {
                total += serde_json::to_vec(u).expect("serializes").len();
            }
            total
        });
    });
    g.bench_function("baseline_serde_create_view", |b| {
        b.iter(|| {
            let mut total = 0;
            for u in black_box(&base_full) {
                total += serde_json::to_vec(&u.create_view())
                    .expect("serializes")
                    .len();
            }
            total
        });
    });
    g.bench_function("scim_create_context", |b| {
        b.iter(|| {
            let mut total = 0;
            for u in black_box(&scim_create) {
                total += codec::to_vec(u, Context::CreateRequest)
                    .expect("a valid create body")
                    .len();
            }
            total
        });
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8));
    targets = bench
}
criterion_main!(benches);
