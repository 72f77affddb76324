//! Filters: parsing and printing 10,000 of them, and what the typed builder costs against
//! formatting the same filter text by hand.
//!
//! The input is generated in code (deterministically, from a fixed seed): 10,000 varied
//! filters mixing `eq`, `ne`, `co`, `sw`, `ew`, `gt`, `ge`, `lt`, `pr`, `and`, `or`, `not`,
//! value paths (`emails[type eq "work" and value co "@example.com"]`), URN-qualified paths,
//! numbers, booleans, `null`, and strings that need escaping (quotes, backslashes, control
//! characters, non-ASCII).
//!
//! - `filter/parse_10k`: `Filter::parse` of every string.
//! - `filter/print_10k`: `to_string` of every parsed filter (the canonical form).
//! - `build/by_hand_10k`, `build/builder_10k`, `build/builder_cloned_paths_10k`,
//!   `build/typed_paths_10k`, `build/typed_paths_display_10k`, all measured in the same run so that their ratios are
//!   meaningful: 10,000 filters `userName eq "<a>" and emails.value co "<b>"` with varied
//!   values (a tenth of them needing escapes), each ending as a `String`:
//!   - by hand: `format!` with the values escaped by `serde_json::to_string`;
//!   - builder: `Filter::eq(AttrPath::parse("userName")?, a).and(Filter::co(..))` then
//!     `to_string()`, parsing both paths each time;
//!   - builder, cloned paths: the same with the two `AttrPath`s parsed once and cloned;
//!   - typed paths: `User::path().user_name().eq(a).and(User::path().emails().value().co(b))`
//!     turned into a `String` as `SearchRequest::filter` does (`String::from`, which writes
//!     the text straight into a buffer of about the right size);
//!   - typed paths, display: the same through `to_string()` (the `Display` machinery).
//!
//!   All five give the same strings (checked before measuring).
//!
//! Throughput is reported in filters (`Throughput::Elements(10_000)`).
//!
//! Run with `cargo bench -p scim-client --bench filter` (about a minute).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use scim_client::filter::Filter;
use scim_client::model::User;
use scim_client::path::AttrPath;

/// Filters per iteration.
const FILTERS: usize = 10_000;

const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// A small deterministic generator (xorshift64*), so every run measures the same input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A JSON string literal for `s`.
fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// A string value, sometimes one that needs escaping.
fn text(rng: &mut Rng, i: usize) -> String {
    match rng.below(8) {
        0 => format!("O'Malley \"the {i}th\""),
        1 => format!("back\\slash\t{i}"),
        2 => format!("café-{i} ünïcödé"),
        3 => format!("line\nbreak {i}"),
        _ => format!("user-{i}-{:x}", rng.next() & 0xffff),
    }
}

/// One attribute expression.
fn leaf(rng: &mut Rng, i: usize) -> String {
    match rng.below(14) {
        0 => format!("userName eq {}", quote(&text(rng, i))),
        1 => format!("name.familyName co {}", quote(&text(rng, i))),
        2 => format!("title sw {}", quote(&text(rng, i))),
        3 => format!("emails.value ew {}", quote(&format!("@example{i}.com"))),
        4 => "title pr".to_owned(),
        5 => format!(
            "meta.lastModified gt \"2011-05-13T04:{:02}:{:02}Z\"",
            rng.below(60),
            rng.below(60)
        ),
        6 => format!(
            "{ENTERPRISE_URN}:employeeNumber eq {}",
            quote(&i.to_string())
        ),
        7 => format!(
            "emails[type eq \"work\" and value co {}]",
            quote(&format!("@example{}.com", rng.below(100)))
        ),
        8 => format!("active eq {}", rng.below(2) == 0),
        9 => format!(
            "urn:ietf:params:scim:schemas:core:2.0:User:userName ne {}",
            quote(&text(rng, i))
        ),
        10 => format!("x-count ge {}", rng.below(1000)),
        11 => format!("load lt {}.{}", rng.below(10), rng.below(100)),
        12 => "nickName eq null".to_owned(),
        _ => format!(
            "ims[type eq \"xmpp\" and not (value sw {})]",
            quote(&text(rng, i))
        ),
    }
}

/// A filter of up to a few levels of `and`, `or` and `not`.
fn expression(rng: &mut Rng, i: usize, depth: u32) -> String {
    if depth == 0 {
        return leaf(rng, i);
    }
    match rng.below(6) {
        0 | 1 => leaf(rng, i),
        2 => format!(
            "{} and {}",
            expression(rng, i, depth - 1),
            expression(rng, i, depth - 1)
        ),
        3 => format!(
            "{} or {}",
            expression(rng, i, depth - 1),
            expression(rng, i, depth - 1)
        ),
        4 => format!("not ({})", expression(rng, i, depth - 1)),
        _ => format!(
            "({} or {}) and {}",
            expression(rng, i, depth - 1),
            expression(rng, i, depth - 1),
            leaf(rng, i)
        ),
    }
}

fn generate() -> Vec<String> {
    let mut rng = Rng(0x5C1A_F11E_2025_0001);
    (0..FILTERS).map(|i| expression(&mut rng, i, 3)).collect()
}

/// The values of the `build` benchmarks: `(a, b)` for `userName eq a and emails.value co b`.
fn build_values() -> Vec<(String, String)> {
    let mut rng = Rng(0xB111_D000_0000_0001);
    (0..FILTERS)
        .map(|i| {
            let a = if i % 10 == 0 {
                format!("bj\"ensen\\{i}")
            } else {
                format!("bjensen-{i}")
            };
            let b = format!("@example{}.com", rng.below(1000));
            (a, b)
        })
        .collect()
}

fn by_hand(a: &str, b: &str) -> String {
    format!(
        "userName eq {} and emails.value co {}",
        serde_json::to_string(a).expect("a string serializes"),
        serde_json::to_string(b).expect("a string serializes")
    )
}

fn builder(a: &str, b: &str) -> String {
    let user_name = AttrPath::parse("userName").expect("a valid path");
    let email = AttrPath::parse("emails.value").expect("a valid path");
    Filter::eq(user_name, a)
        .and(Filter::co(email, b))
        .to_string()
}

fn builder_cloned(paths: &(AttrPath, AttrPath), a: &str, b: &str) -> String {
    Filter::eq(paths.0.clone(), a)
        .and(Filter::co(paths.1.clone(), b))
        .to_string()
}

/// The typed builder as `SearchRequest::filter` consumes it (`impl Into<String>`).
fn typed(a: &str, b: &str) -> String {
    String::from(
        User::path()
            .user_name()
            .eq(a)
            .and(User::path().emails().value().co(b)),
    )
}

/// The same through `Display` (`to_string()`).
fn typed_display(a: &str, b: &str) -> String {
    User::path()
        .user_name()
        .eq(a)
        .and(User::path().emails().value().co(b))
        .to_string()
}

fn bench(c: &mut Criterion) {
    let texts = generate();
    let parsed: Vec<Filter> = texts
        .iter()
        .map(|t| Filter::parse(t).unwrap_or_else(|e| panic!("{t}: {e}")))
        .collect();
    // The printed form parses back to the same tree.
    for filter in &parsed {
        assert_eq!(Filter::parse(&filter.to_string()).as_ref(), Ok(filter));
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!(
        "{FILTERS} filters, {bytes} bytes, {} bytes on average",
        bytes / FILTERS
    );

    let mut g = c.benchmark_group("filter");
    g.throughput(Throughput::Elements(FILTERS as u64));
    g.bench_function("parse_10k", |b| {
        b.iter(|| {
            let mut nodes = 0;
            for text in black_box(&texts) {
                let filter = Filter::parse(text).expect("valid");
                nodes += usize::from(matches!(filter, Filter::And(..)));
            }
            nodes
        });
    });
    g.bench_function("print_10k", |b| {
        b.iter(|| {
            let mut total = 0;
            for filter in black_box(&parsed) {
                total += filter.to_string().len();
            }
            total
        });
    });
    g.finish();

    let values = build_values();
    let paths = (
        AttrPath::parse("userName").expect("a valid path"),
        AttrPath::parse("emails.value").expect("a valid path"),
    );
    for (a, b) in &values {
        let expected = by_hand(a, b);
        assert_eq!(builder(a, b), expected);
        assert_eq!(builder_cloned(&paths, a, b), expected);
        assert_eq!(typed(a, b), expected);
        assert_eq!(typed_display(a, b), expected);
    }

    let mut g = c.benchmark_group("build");
    g.throughput(Throughput::Elements(FILTERS as u64));
    g.bench_function("by_hand_10k", |bench| {
        bench.iter(|| {
            let mut total = 0;
            for (a, b) in black_box(&values) {
                total += by_hand(a, b).len();
            }
            total
        });
    });
    g.bench_function("builder_10k", |bench| {
        bench.iter(|| {
            let mut total = 0;
            for (a, b) in black_box(&values) {
                total += builder(a, b).len();
            }
            total
        });
    });
    g.bench_function("builder_cloned_paths_10k", |bench| {
        bench.iter(|| {
            let mut total = 0;
            for (a, b) in black_box(&values) {
                total += builder_cloned(&paths, a, b).len();
            }
            total
        });
    });
    g.bench_function("typed_paths_10k", |bench| {
        bench.iter(|| {
            let mut total = 0;
            for (a, b) in black_box(&values) {
                total += typed(a, b).len();
            }
            total
        });
    });
    g.bench_function("typed_paths_display_10k", |bench| {
        bench.iter(|| {
            let mut total = 0;
            for (a, b) in black_box(&values) {
                total += typed_display(a, b).len();
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
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
