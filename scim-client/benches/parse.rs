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

const CORE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Plain serde structs of the same shape: no case-insensitivity, no validation, no SCIM rules.
/// Field order follows what `scim-client` writes, so both produce the same bytes.
// The field names are the SCIM attribute names (`userName` in `User`, `familyName` in `Name`).
#[allow(clippy::struct_field_names)]
mod baseline {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct ListResponse {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) schemas: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) total_results: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) items_per_page: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) start_index: Option<u64>,
        #[serde(rename = "Resources", default)]
        pub(crate) resources: Vec<User>,
    }

    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct User {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) schemas: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) external_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) meta: Option<Meta>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) user_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) name: Option<Name>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) display_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) nick_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) profile_url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) title: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) user_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) preferred_language: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) locale: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) timezone: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) active: Option<bool>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) emails: Vec<Email>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) phone_numbers: Vec<PhoneNumber>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) addresses: Vec<Address>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub(crate) groups: Vec<Group>,
        #[serde(
            rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            skip_serializing_if = "Option::is_none"
        )]
        pub(crate) enterprise: Option<Enterprise>,
    }

    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Name {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) formatted: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) family_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) given_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) middle_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) honorific_prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) honorific_suffix: Option<String>,
    }

    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Email {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) value: Option<String>,
        #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
        pub(crate) type_: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) primary: Option<bool>,
    }

    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct PhoneNumber {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) value: Option<String>,
        #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
        pub(crate) type_: Option<String>,
    }

    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Address {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) formatted: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) street_address: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) locality: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) region: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) postal_code: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) country: Option<String>,
        #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
        pub(crate) type_: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) primary: Option<bool>,
    }

    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Group {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) value: Option<String>,
        #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
        pub(crate) ref_: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) display: Option<String>,
    }

    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Enterprise {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) employee_number: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) cost_center: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) organization: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) division: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) department: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) manager: Option<Manager>,
    }

    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Manager {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) value: Option<String>,
        #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
        pub(crate) ref_: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) display_name: Option<String>,
    }

    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Meta {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) resource_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) created: Option<jiff::Timestamp>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) last_modified: Option<jiff::Timestamp>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) location: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) version: Option<String>,
    }

    impl User {
        /// The same user without what a create request leaves out (the read-only attributes).
        pub(crate) fn create_shape(&self) -> Self {
            let mut u = self.clone();
            u.id = None;
            u.meta = None;
            u.groups.clear();
            if let Some(m) = u.enterprise.as_mut().and_then(|e| e.manager.as_mut()) {
                m.display_name = None;
            }
            u
        }
    }
}

/// A JSON string literal (escaped).
fn lit(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// A deterministic UUID-like id for `kind` and index `i`.
fn uuid(kind: u32, i: usize) -> String {
    let i = i as u64;
    format!(
        "{kind:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (i >> 16) & 0xffff,
        i & 0xfff,
        (i * 7) & 0xfff,
        i.wrapping_mul(0x9E37_79B9_7F4A_7C15) & 0xffff_ffff_ffff
    )
}

/// Appends user `i` as JSON, in the order and shape of RFC 7643 section 8.3.
fn write_user(out: &mut String, i: usize) {
    let id = uuid(0x2819_c223, i);
    let manager = uuid(0x2611_8915, i / 10);
    let group = uuid(0xe9e3_0dba, i % 50);
    let given = format!("Barbara{i}");
    let family = format!("Jensen{i}");
    let user_name = format!("bjensen{i}@example.com");
    let street = format!("{} Universal City Plaza", 100 + i);
    let postal = format!("{:05}", 91_608 + i % 1000);
    let formatted_addr = format!("{street}\nHollywood, CA {postal} USA");
    let (sec, min) = (i % 60, (i / 60) % 60);
    write!(
        out,
        r#"{{"schemas":[{core},{ent}],"id":{id},"externalId":{ext},"userName":{un},"#,
        core = lit(CORE_URN),
        ent = lit(ENTERPRISE_URN),
        id = lit(&id),
        ext = lit(&format!("{}", 701_984 + i)),
        un = lit(&user_name),
    )
    .unwrap();
    write!(
        out,
        r#""name":{{"formatted":{f},"familyName":{fam},"givenName":{giv},"middleName":"Jane","honorificPrefix":"Ms.","honorificSuffix":"III"}},"#,
        f = lit(&format!("Ms. {given} J {family}, III")),
        fam = lit(&family),
        giv = lit(&given),
    )
    .unwrap();
    write!(
        out,
        r#""displayName":{dn},"nickName":{nn},"profileUrl":{pu},"#,
        dn = lit(&format!("Babs {family}")),
        nn = lit(&format!("Babs{i}")),
        pu = lit(&format!("https://login.example.com/bjensen{i}")),
    )
    .unwrap();
    write!(
        out,
        r#""emails":[{{"value":{e1},"type":"work","primary":true}},{{"value":{e2},"type":"home"}}],"#,
        e1 = lit(&user_name),
        e2 = lit(&format!("babs{i}@jensen.org")),
    )
    .unwrap();
    write!(
        out,
        r#""addresses":[{{"type":"work","streetAddress":{st},"locality":"Hollywood","region":"CA","postalCode":{pc},"country":"USA","formatted":{fa},"primary":true}}],"#,
        st = lit(&street),
        pc = lit(&postal),
        fa = lit(&formatted_addr),
    )
    .unwrap();
    write!(
        out,
        r#""phoneNumbers":[{{"value":{p1},"type":"work"}},{{"value":{p2},"type":"mobile"}}],"#,
        p1 = lit(&format!("555-555-{:04}", i % 10_000)),
        p2 = lit(&format!("555-444-{:04}", (i * 7) % 10_000)),
    )
    .unwrap();
    write!(
        out,
        r#""groups":[{{"value":{gv},"$ref":{gr},"display":{gd}}}],"#,
        gv = lit(&group),
        gr = lit(&format!("../Groups/{group}")),
        gd = lit(&format!("Tour Guides {}", i % 50)),
    )
    .unwrap();
    write!(
        out,
        r#""userType":"Employee","title":"Tour Guide","preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles","active":{active},"#,
        active = !i.is_multiple_of(7),
    )
    .unwrap();
    write!(
        out,
        r#"{urn}:{{"employeeNumber":{en},"costCenter":{cc},"organization":"Universal Studios","division":"Theme Park","department":{dep},"manager":{{"value":{mv},"$ref":{mr},"displayName":{md}}}}},"#,
        urn = lit(ENTERPRISE_URN),
        en = lit(&format!("{}", 701_984 + i)),
        cc = lit(&format!("{}", 4130 + i % 20)),
        dep = lit(&format!("Tour Operations {}", i % 30)),
        mv = lit(&manager),
        mr = lit(&format!("../Users/{manager}")),
        md = lit(&format!("John Smith{}", i / 10)),
    )
    .unwrap();
    write!(
        out,
        r#""meta":{{"resourceType":"User","created":"2010-01-23T04:{min:02}:{sec:02}Z","lastModified":"2011-05-13T04:{min:02}:{sec:02}Z","version":{v},"location":{loc}}}}}"#,
        v = lit(&format!("W/\"{:016x}\"", (i as u64).wrapping_mul(0x9E37_79B9))),
        loc = lit(&format!("https://example.com/v2/Users/{id}")),
    )
    .unwrap();
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
        write_user(&mut out, i);
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
