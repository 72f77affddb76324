//! Filters (RFC 7644 section 3.4.2.2) and PATCH paths (section 3.5.2): the RFC examples,
//! error positions, depth limits, property tests of print/parse, and local evaluation against
//! the RFC 7643 enterprise user.

use std::cell::RefCell;

use proptest::prelude::*;
use scim_client::filter::{CompValue, CompareOp, Filter};
use scim_client::path::{AttrPath, PatchPath};
use serde_json::{Number, Value, json};

const FILTERS: &str = include_str!("fixtures/rfc7644/filters.txt");
const FILTERS_OTHER: &str = include_str!("fixtures/rfc7644/filters-other.txt");
const PATCH_PATHS: &str = include_str!("fixtures/rfc7644/patch-paths.txt");
const PATCH_PATHS_IN_EXAMPLES: &str = include_str!("fixtures/rfc7644/patch-paths-in-examples.txt");
const USER_ENTERPRISE: &str = include_str!("fixtures/rfc7643/user-enterprise.json");

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn path(s: &str) -> AttrPath {
    AttrPath::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn filter(s: &str) -> Filter {
    Filter::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// Prints, parses back, and checks that both the tree and the text are stable.
fn assert_round_trip(f: &Filter) {
    let printed = f.to_string();
    let back = Filter::parse(&printed).unwrap_or_else(|e| panic!("{printed:?}: {e}"));
    assert_eq!(&back, f, "printed as {printed:?}");
    assert_eq!(back.to_string(), printed);
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn user() -> Value {
    serde_json::from_str(USER_ENTERPRISE).expect("RFC 7643 section 8.3 user")
}

// ----- RFC examples --------------------------------------------------------------------------

#[test]
fn every_rfc_filter_parses_and_round_trips() {
    let filters = lines(FILTERS);
    assert_eq!(filters.len(), 19);
    for line in filters {
        let f = filter(line);
        assert_round_trip(&f);
        // The canonical text also round-trips as text.
        let canonical = f.to_string();
        assert_eq!(filter(&canonical).to_string(), canonical, "{line}");
    }
}

#[test]
fn rfc_filters_have_the_expected_structure() {
    let filters = lines(FILTERS);

    // Operators are case-insensitive on input and printed in lower case; names keep spelling.
    assert_eq!(filter(filters[0]).to_string(), r#"userName eq "john""#);
    assert_eq!(filter(filters[1]).to_string(), r#"Username eq "john""#);
    assert_eq!(
        filter(filters[0]),
        Filter::eq(path("userName"), "john"),
        "`Eq` is the operator eq"
    );

    // `name.familyName co "O'Malley"`: a single quote inside a JSON string is fine.
    assert_eq!(
        filter(filters[3]),
        Filter::co(path("name.familyName"), "O'Malley")
    );

    // The URN prefix is split at the last colon.
    let Filter::Compare {
        path: urn_path, op, ..
    } = filter(filters[5])
    else {
        panic!("a comparison");
    };
    assert_eq!(
        urn_path.schema(),
        Some("urn:ietf:params:scim:schemas:core:2.0:User")
    );
    assert_eq!(urn_path.name(), "userName");
    assert_eq!(op, CompareOp::Sw);

    assert_eq!(filter(filters[6]), Filter::present(path("title")));

    // `and` binds tighter than `or`.
    assert_eq!(
        filter("title pr or userType eq \"Intern\" and emails pr"),
        Filter::present(path("title"))
            .or(Filter::eq(path("userType"), "Intern").and(Filter::present(path("emails"))))
    );
    assert_eq!(
        filter(filters[12]),
        Filter::present(path("title")).or(Filter::eq(path("userType"), "Intern"))
    );

    // Grouping overrides precedence, and is printed back only where needed.
    let grouped = Filter::eq(path("userType"), "Employee").and(
        Filter::co(path("emails"), "example.com")
            .or(Filter::co(path("emails.value"), "example.org")),
    );
    assert_eq!(filter(filters[14]), grouped);
    assert_eq!(
        grouped.to_string(),
        r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#
    );

    // `not (` with a space (erratum 7319); printed as the ABNF's `not(`.
    let negated = Filter::ne(path("userType"), "Employee").and(
        Filter::co(path("emails"), "example.com")
            .or(Filter::co(path("emails.value"), "example.org"))
            .not(),
    );
    assert_eq!(filter(filters[15]), negated);
    assert_eq!(
        negated.to_string(),
        r#"userType ne "Employee" and not(emails co "example.com" or emails.value co "example.org")"#
    );

    // Redundant parentheses vanish.
    assert_eq!(
        filter(filters[16]).to_string(),
        r#"userType eq "Employee" and emails.type eq "work""#
    );

    // Value paths.
    let work_example = Filter::value_path(
        path("emails"),
        Filter::eq(path("type"), "work").and(Filter::co(path("value"), "@example.com")),
    );
    assert_eq!(
        filter(filters[17]),
        Filter::eq(path("userType"), "Employee").and(work_example.clone())
    );
    assert_eq!(
        filter(filters[18]),
        work_example.or(Filter::value_path(
            path("ims"),
            Filter::eq(path("type"), "xmpp").and(Filter::co(path("value"), "@foo.com")),
        ))
    );
}

#[test]
fn other_rfc_filters_strict_where_the_abnf_is() {
    let other = lines(FILTERS_OTHER);
    assert_eq!(other.len(), 4);

    // Line 1: unquoted values are not JSON literals.
    let error = Filter::parse(other[0]).expect_err("`eq User` is not valid");
    assert_eq!(error.position(), 22);
    assert!(
        error.message().starts_with("expected a comparison value"),
        "{error}"
    );
    assert!(error.message().ends_with("found `User`"), "{error}");

    // Line 2 parses.
    let f = filter(other[1]);
    assert_eq!(f, Filter::sw(path("displayName"), "smith"));
    assert_round_trip(&f);

    // Line 3: single-quoted strings are not JSON strings.
    let error = Filter::parse(other[2]).expect_err("single quotes are not valid");
    assert_eq!(error.position(), 15);
    assert!(error.message().contains("double quotes"), "{error}");

    // Line 4 parses; the parentheses are only grouping.
    let f = filter(other[3]);
    assert_eq!(f, Filter::present(path("userName")));
    assert_round_trip(&f);
}

#[test]
fn every_rfc_patch_path_parses_and_round_trips() {
    let paths = lines(PATCH_PATHS);
    assert_eq!(paths.len(), 5);
    for line in &paths {
        let p = PatchPath::parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(
            p.to_string(),
            *line,
            "the RFC examples are already canonical"
        );
        assert_eq!(PatchPath::parse(&p.to_string()).as_ref(), Ok(&p));
    }

    let members = PatchPath::parse(paths[0]).expect("members");
    assert_eq!(members, PatchPath::from(path("members")));
    assert!(members.value_filter().is_none());

    let family = PatchPath::parse(paths[1]).expect("name.familyName");
    assert_eq!(family.attr().sub_attr(), Some("familyName"));

    let work = PatchPath::parse(paths[2]).expect("addresses[...]");
    assert_eq!(work.attr().name(), "addresses");
    assert_eq!(work.value_filter(), Some(&Filter::eq(path("type"), "work")));
    assert_eq!(work.sub_attr(), None);

    let display = PatchPath::parse(paths[4]).expect("members[...].displayName");
    assert_eq!(
        display,
        PatchPath::with_filter(
            path("members"),
            Filter::eq(path("value"), "2819c223-7f76-453a-919d-413861904646"),
            Some("displayName"),
        )
        .expect("valid parts")
    );
}

#[test]
fn patch_paths_in_rfc_examples() {
    // The ABNF requires `SP` between the operator and the value
    // (`attrExp = attrPath SP compareOp SP compValue`), so the section 3.5.2.2 path
    // `members[value eq"2819c223...919d-413861904646"]` is rejected, at the quote that should
    // have been preceded by a space. Every other path of the examples is valid, including the
    // ones with elided ids, which are just strings.
    let mut rejected = 0;
    for line in lines(PATCH_PATHS_IN_EXAMPLES) {
        match PatchPath::parse(line) {
            Ok(p) => assert_eq!(p.to_string(), line),
            Err(error) => {
                assert_eq!(line, r#"members[value eq"2819c223...919d-413861904646"]"#);
                assert_eq!(error.position(), 16);
                assert_eq!(
                    error.message(),
                    "expected whitespace after `eq`, found `\"`"
                );
                rejected += 1;
            }
        }
    }
    assert_eq!(rejected, 1);

    let street = PatchPath::parse(r#"addresses[type eq "work"].streetAddress"#).expect("valid");
    assert_eq!(street.sub_attr(), Some("streetAddress"));
}

// ----- attribute paths -----------------------------------------------------------------------

#[test]
fn urn_paths_split_at_the_last_colon() {
    let p = path("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName");
    assert_eq!(
        p.schema(),
        Some("urn:ietf:params:scim:schemas:core:2.0:User")
    );
    assert_eq!(p.name(), "name");
    assert_eq!(p.sub_attr(), Some("givenName"));

    let p = path(&format!("{ENTERPRISE}:employeeNumber"));
    assert_eq!(p.schema(), Some(ENTERPRISE));
    assert_eq!(p.name(), "employeeNumber");
    assert_eq!(p.sub_attr(), None);

    let p = path(&format!("{ENTERPRISE}:manager.value"));
    assert_eq!(
        (p.schema(), p.name(), p.sub_attr()),
        (Some(ENTERPRISE), "manager", Some("value"))
    );
    assert_eq!(p.to_string(), format!("{ENTERPRISE}:manager.value"));

    // `URN:` in any case.
    let p = path("URN:Example:schemas:Thing:size");
    assert_eq!(p.schema(), Some("URN:Example:schemas:Thing"));

    // In a PATCH path with a value filter and a sub-attribute after it.
    let p =
        PatchPath::parse(&format!("{ENTERPRISE}:manager[value pr].displayName")).expect("valid");
    assert_eq!(p.attr().schema(), Some(ENTERPRISE));
    assert_eq!(p.attr().name(), "manager");
    assert_eq!(p.sub_attr(), Some("displayName"));
}

#[test]
fn attr_paths_keep_spelling_and_accept_dollar_ref() {
    let p = path("Members.$ref");
    assert_eq!((p.name(), p.sub_attr()), ("Members", Some("$ref")));
    assert_eq!(p.to_string(), "Members.$ref");
    assert_ne!(p, path("members.$REF"));
    assert!(p.eq_ignore_case(&path("members.$REF")));
    assert!(!p.eq_ignore_case(&path("members.value")));
    assert!(
        path(&format!("{ENTERPRISE}:manager"))
            .eq_ignore_case(&path(&format!("{}:MANAGER", ENTERPRISE.to_uppercase())))
    );

    assert_eq!(path("$ref").name(), "$ref");
    assert_eq!(
        filter(r#"members[$ref eq "https://example.com/v2/Users/1"]"#).to_string(),
        r#"members[$ref eq "https://example.com/v2/Users/1"]"#
    );

    let built = AttrPath::from_parts(Some(ENTERPRISE), "manager", Some("value")).expect("valid");
    assert_eq!(built, path(&format!("{ENTERPRISE}:manager.value")));
    assert!(AttrPath::from_parts(None, "name.familyName", None).is_err());
    assert!(AttrPath::from_parts(Some("http://example.com/schema"), "a", None).is_err());
    assert!(AttrPath::from_parts(None, "a b", None).is_err());
    assert!(AttrPath::from_parts(None, "a", Some("b:c")).is_err());
    assert!(
        PatchPath::with_filter(path("emails"), Filter::present(path("value")), Some("a.b"))
            .is_err()
    );
}

#[test]
fn attr_path_errors_have_positions() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 0, "expected an attribute name, found end of input"),
        ("1abc", 0, "expected an attribute name, found `1abc`"),
        (
            "name.",
            5,
            "expected a sub-attribute name after `.`, found end of input",
        ),
        ("a.b.c", 3, "at most one sub-attribute"),
        (
            "name familyName",
            4,
            "expected the end of the attribute path, found whitespace",
        ),
        (
            "emails[type eq \"work\"]",
            6,
            "expected the end of the attribute path, found `[`",
        ),
        ("foo:bar", 0, "must be a URN"),
        ("urn:userName", 0, "expected a schema URN"),
        ("urn:a::b", 0, "empty segment"),
        ("urn:a:b:na%me", 10, "unexpected `%`"),
        (" members", 0, "found whitespace"),
    ];
    for &(input, position, message) in cases {
        let error = AttrPath::parse(input).expect_err(input);
        assert_eq!(error.position(), position, "{input:?}: {error}");
        assert!(error.message().contains(message), "{input:?}: {error}");
        assert_eq!(
            error.to_string(),
            format!("at position {position}: {}", error.message())
        );
    }

    let cases: &[(&str, usize, &str)] = &[
        (
            "emails[]",
            7,
            "expected an attribute path, `(` or `not`, found `]`",
        ),
        (
            "emails[type eq \"work\"",
            21,
            "expected `and`, `or` or `]`, found end of input",
        ),
        (
            "emails[type eq \"work\"]value",
            22,
            "expected `.` or the end of the path",
        ),
        (
            "emails[type eq \"work\"].value.x",
            28,
            "expected the end of the path, found `.`",
        ),
        (
            "emails[type eq \"work\"].",
            23,
            "expected a sub-attribute name after `.`",
        ),
        ("emails[type eq work]", 15, "found `work`"),
    ];
    for &(input, position, message) in cases {
        let error = PatchPath::parse(input).expect_err(input);
        assert_eq!(error.position(), position, "{input:?}: {error}");
        assert!(error.message().contains(message), "{input:?}: {error}");
    }
}

// ----- filter syntax -------------------------------------------------------------------------

#[test]
fn filter_errors_have_positions_and_say_what_was_expected() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "",
            0,
            "expected an attribute path, `(` or `not`, found end of input",
        ),
        (
            "userName foo \"x\"",
            9,
            "expected a comparison operator, found `foo`",
        ),
        (
            "userName eq",
            11,
            "expected whitespace after `eq`, found end of input",
        ),
        (
            "userName eq ",
            12,
            "expected a comparison value (a JSON string in double quotes, a number, `true`, \
             `false` or `null`), found end of input",
        ),
        (
            "userName",
            8,
            "expected whitespace and an operator after the attribute path",
        ),
        ("userName=\"x\"", 8, "found `=`"),
        ("userName eq \"x", 12, "unterminated string"),
        ("userName eq \"a\\qb\"", 14, "invalid escape"),
        ("userName eq \"\\u12G4\"", 13, "invalid `\\u` escape"),
        ("userName eq \"a\u{1}b\"", 14, "control character"),
        ("userName eq \"\\ud800\"", 12, "unpaired UTF-16 surrogate"),
        ("age gt 01", 8, "leading zeros"),
        ("age gt 1.", 9, "expected a digit after the decimal point"),
        ("age gt 1e", 9, "expected a digit in the exponent"),
        ("age gt -", 8, "expected a digit"),
        ("age gt 1e999", 7, "number out of range"),
        ("active eq True", 10, "found `True`"),
        (
            "title pr and",
            12,
            "expected whitespace after `and`, found end of input",
        ),
        (
            "title pr and ",
            13,
            "expected an attribute path, `(` or `not`",
        ),
        (
            "title pr and(userName pr)",
            12,
            "expected whitespace after `and`, found `(`",
        ),
        (
            "title pr xor userName pr",
            9,
            "expected `and`, `or` or the end of the filter, found `xor`",
        ),
        (
            "userName eq \"x\"and title pr",
            15,
            "expected whitespace before `and`",
        ),
        (
            "(title pr",
            9,
            "expected `and`, `or` or `)`, found end of input",
        ),
        ("(title pr]", 9, "expected `and`, `or` or `)`, found `]`"),
        (
            "title pr)",
            8,
            "expected `and`, `or` or the end of the filter, found `)`",
        ),
        ("not (title pr", 13, "expected `and`, `or` or `)`"),
        ("emails[type eq \"work\"].value eq \"x\"", 22, "found `.`"),
        (
            "emails [type eq \"work\"]",
            7,
            "expected a comparison operator, found `[`",
        ),
        ("name.givenName.x pr", 14, "at most one sub-attribute"),
        ("urn:ietf:params:scim:schemas:core:2.0:User pr", 0, ""),
        // `or` is a valid attribute name.
        (
            "title pr and or",
            15,
            "expected whitespace and an operator after the attribute path, found end of input",
        ),
    ];
    for &(input, position, message) in cases {
        match Filter::parse(input) {
            Ok(f) => {
                // A bare URN is a path by the ABNF: schema `...:2.0`, attribute `User`.
                assert!(message.is_empty(), "{input:?} should fail, parsed as {f:?}");
                let Filter::Present(p) = f else {
                    panic!("{input:?}")
                };
                assert_eq!(p.name(), "User");
            }
            Err(error) => {
                assert!(!message.is_empty(), "{input:?}: {error}");
                assert_eq!(error.position(), position, "{input:?}: {error}");
                assert!(error.message().contains(message), "{input:?}: {error}");
                assert!(!error.is_too_deep());
            }
        }
    }
}

#[test]
fn filter_whitespace_is_lenient_between_tokens() {
    let expected = filter(r#"userType eq "Employee" and emails[type eq "work"]"#);
    for input in [
        "  userType   eq\t\"Employee\"\n and   emails[ type  eq \"work\" ]  ",
        "userType EQ \"Employee\" AND emails[type Eq \"work\"]",
        "( userType eq \"Employee\" ) and (emails[type eq \"work\"])",
    ] {
        assert_eq!(filter(input), expected, "{input:?}");
    }
    assert_eq!(filter("NOT(title pr)"), filter("not   (title pr)"));
    assert_eq!(filter("title PR"), Filter::present(path("title")));
}

#[test]
fn keywords_are_attribute_names_where_the_grammar_says_so() {
    // `not` followed by something other than `(` is an attribute called `not`.
    assert_eq!(filter("not pr"), Filter::present(path("not")));
    assert_eq!(
        filter("and eq \"x\" or or pr"),
        Filter::eq(path("and"), "x").or(Filter::present(path("or")))
    );
    assert_eq!(
        filter("not[pr pr]"),
        Filter::value_path(path("not"), Filter::present(path("pr")))
    );
    assert_eq!(filter("nothing pr"), Filter::present(path("nothing")));
}

#[test]
fn comparison_values_are_json_literals() {
    let value = |s: &str| match filter(&format!("a eq {s}")) {
        Filter::Compare { value, .. } => value,
        other => panic!("{other:?}"),
    };
    assert_eq!(value("true"), CompValue::Bool(true));
    assert_eq!(value("false"), CompValue::Bool(false));
    assert_eq!(value("null"), CompValue::Null);
    assert_eq!(value("42"), CompValue::Number(Number::from(42_u64)));
    assert_eq!(value("-42"), CompValue::Number(Number::from(-42_i64)));
    assert_eq!(value("18446744073709551615"), CompValue::from(u64::MAX));
    // Integers stay integers, decimals are decimals.
    let CompValue::Number(n) = value("42") else {
        panic!()
    };
    assert!(n.is_u64());
    let CompValue::Number(n) = value("42.0") else {
        panic!()
    };
    assert!(n.is_f64());
    assert_eq!(n.to_string(), "42.0");
    let CompValue::Number(n) = value("1.5E3") else {
        panic!()
    };
    assert_eq!(n.as_f64(), Some(1500.0));
    assert_eq!(filter("a eq 1.5E3").to_string(), "a eq 1500.0");
    // Strings decode JSON escapes and print them back escaped.
    assert_eq!(
        value(r#""a\"b\\c\/d\u00e9\n\ud83d\ude00""#),
        CompValue::from("a\"b\\c/d\u{e9}\n\u{1f600}")
    );
    assert_eq!(
        Filter::eq(path("a"), "quote\" backslash\\ newline\n tab\t nul\u{0}").to_string(),
        r#"a eq "quote\" backslash\\ newline\n tab\t nul\u0000""#
    );
}

#[test]
fn builders_print_canonical_filters() {
    let f = Filter::gt(path("meta.lastModified"), "2011-05-13T04:42:34Z")
        .and(Filter::le(path("age"), 65).or(Filter::ge(path("age"), 18)))
        .or(!Filter::ew(path("emails.value"), "@example.com"))
        .or(Filter::value_path(
            path("emails"),
            Filter::lt(path("rank"), 3).and(Filter::eq(path("primary"), true)),
        ))
        .or(Filter::compare(path("x"), CompareOp::Ne, CompValue::Null));
    assert_eq!(
        f.to_string(),
        "meta.lastModified gt \"2011-05-13T04:42:34Z\" and (age le 65 or age ge 18) \
         or not(emails.value ew \"@example.com\") or emails[rank lt 3 and primary eq true] \
         or x ne null"
    );
    assert_round_trip(&f);

    // Right operands of the same operator keep their parentheses, so the tree survives.
    let a = || Filter::present(path("a"));
    let b = || Filter::present(path("b"));
    let c = || Filter::present(path("c"));
    assert_eq!(
        a().and(b().and(c())).to_string(),
        "a pr and (b pr and c pr)"
    );
    assert_eq!(a().and(b()).and(c()).to_string(), "a pr and b pr and c pr");
    assert_eq!(a().or(b().or(c())).to_string(), "a pr or (b pr or c pr)");
    assert_eq!(a().or(b()).and(c()).to_string(), "(a pr or b pr) and c pr");
    assert_eq!(a().and(b()).or(c()).to_string(), "a pr and b pr or c pr");
    assert_eq!(a().or(b().and(c())).to_string(), "a pr or b pr and c pr");
    assert_eq!(a().not().not().to_string(), "not(not(a pr))");
    for f in [
        a().and(b().and(c())),
        a().or(b().or(c())),
        a().or(b()).and(c()),
        c().and(a().or(b())),
        a().not().and(b()).or(c().not()),
    ] {
        assert_round_trip(&f);
    }
    assert_eq!(CompareOp::Sw.as_str(), "sw");
    assert_eq!(
        filter("a pr").to_string().parse::<Filter>(),
        Ok(filter("a pr"))
    );
}

// ----- depth limits --------------------------------------------------------------------------

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let n = 10_000;
    let parens = format!("{}userName pr{}", "(".repeat(n), ")".repeat(n));
    let error = Filter::parse(&parens).expect_err("too deep");
    assert!(error.is_too_deep());
    assert_eq!(error.position(), 64, "the 65th `(`");
    assert!(error.to_string().contains("more than 64 levels"), "{error}");

    let nots = format!("{}userName pr{}", "not (".repeat(n), ")".repeat(n));
    let error = Filter::parse(&nots).expect_err("too deep");
    assert!(error.is_too_deep());
    assert_eq!(error.position(), 64 * "not (".len());

    let tight = format!("{}userName pr{}", "not(".repeat(n), ")".repeat(n));
    assert!(Filter::parse(&tight).expect_err("too deep").is_too_deep());

    let brackets = format!("{}b pr{}", "a[".repeat(n), "]".repeat(n));
    assert!(
        Filter::parse(&brackets)
            .expect_err("too deep")
            .is_too_deep()
    );
    assert!(PatchPath::parse(&brackets).is_err());

    // Unbalanced input fails the same way before anything else.
    assert!(
        Filter::parse(&"(".repeat(n))
            .expect_err("too deep")
            .is_too_deep()
    );

    // 64 levels are fine.
    let ok = format!("{}userName pr{}", "not (".repeat(64), ")".repeat(64));
    let f = filter(&ok);
    assert_round_trip(&f);
    let ok = format!("{}userName pr{}", "(".repeat(64), ")".repeat(64));
    assert_eq!(filter(&ok), Filter::present(path("userName")));
}

#[test]
fn long_chains_are_bounded() {
    // n terms make a tree n levels tall; at most 512 are allowed.
    let terms: Vec<String> = (0..10_000).map(|i| format!("id eq \"{i}\"")).collect();
    for n in [513, 10_000] {
        let error = Filter::parse(&terms[..n].join(" or ")).expect_err("too tall");
        assert!(error.is_too_deep(), "{error}");
        assert!(error.message().contains("more than 512 levels"), "{error}");
        let error = Filter::parse(&terms[..n].join(" and ")).expect_err("too tall");
        assert!(error.is_too_deep(), "{error}");
    }

    // 512 terms (a large batch of ids) are fine, and every operation on the tree works.
    let text = terms[..512].join(" or ");
    let f = filter(&text);
    assert_eq!(f.to_string(), text);
    assert_eq!(f.clone(), f);
    assert!(format!("{f:#?}").len() > text.len());
    assert!(f.matches(&json!({"id": "511"})));
    assert!(!f.matches(&json!({"id": "512"})));
    let all = filter(&terms[..512].join(" and "));
    assert!(!all.matches(&json!({"id": "1"})));
    assert_round_trip(&all);
}

#[test]
fn parsing_uses_little_stack_whatever_the_input() {
    // The parser keeps nested expressions on the heap: hostile input is rejected on a thread
    // with a small stack.
    let parsed = std::thread::Builder::new()
        .stack_size(128 * 1024)
        .spawn(|| {
            let n = 100_000;
            let nots = format!("{}a pr{}", "not (".repeat(n), ")".repeat(n));
            let parens = format!("{}a pr{}", "(".repeat(n), ")".repeat(n));
            let brackets = format!("{}b pr{}", "a[".repeat(n), "]".repeat(n));
            let chain = vec!["a pr"; n].join(" and ");
            [nots, parens, brackets, chain]
                .iter()
                .all(|input| Filter::parse(input).is_err_and(|e| e.is_too_deep()))
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow");
    assert!(parsed);
}

// ----- property tests ------------------------------------------------------------------------

fn arb_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z][a-zA-Z0-9_$-]{0,7}",
        1 => Just("$ref".to_owned()),
        1 => prop::sample::select(vec!["and", "or", "not", "NOT", "pr", "eq", "true", "null"])
            .prop_map(str::to_owned),
    ]
}

fn arb_path() -> impl Strategy<Value = AttrPath> {
    let schema = prop_oneof![
        3 => Just(None),
        1 => "urn:ietf:params:scim:schemas:(core|extension:[a-z]{1,8}):2\\.0:[A-Z][a-zA-Z]{0,6}"
            .prop_map(Some),
    ];
    (schema, arb_name(), prop::option::of(arb_name())).prop_map(|(schema, name, sub)| {
        AttrPath::from_parts(schema.as_deref(), &name, sub.as_deref())
            .unwrap_or_else(|e| panic!("{schema:?} {name:?} {sub:?}: {e}"))
    })
}

fn arb_value() -> impl Strategy<Value = CompValue> {
    prop_oneof![
        Just(CompValue::Null),
        any::<bool>().prop_map(CompValue::Bool),
        any::<i64>().prop_map(CompValue::from),
        any::<u64>().prop_map(CompValue::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(CompValue::Number)),
        any::<String>().prop_map(CompValue::String),
    ]
}

fn arb_op() -> impl Strategy<Value = CompareOp> {
    prop::sample::select(vec![
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Co,
        CompareOp::Sw,
        CompareOp::Ew,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Lt,
        CompareOp::Le,
    ])
}

fn arb_filter() -> impl Strategy<Value = Filter> {
    let leaf = prop_oneof![
        (arb_path(), arb_op(), arb_value())
            .prop_map(|(path, op, value)| Filter::compare(path, op, value)),
        arb_path().prop_map(Filter::present),
    ];
    leaf.prop_recursive(6, 48, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a.and(b)),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a.or(b)),
            inner.clone().prop_map(Filter::not),
            (arb_path(), inner).prop_map(|(attr, f)| Filter::value_path(attr, f)),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any string is a value, never syntax: `eq`, `co` and `sw` print and parse back to the
    /// same comparison with exactly that string.
    #[test]
    fn any_string_value_round_trips(s in any::<String>(), op in prop::sample::select(vec![CompareOp::Eq, CompareOp::Co, CompareOp::Sw])) {
        let f = Filter::compare(path("userName"), op, s.clone());
        let back = Filter::parse(&f.to_string()).expect("printed filters parse");
        let Filter::Compare { path: p, op: o, value: CompValue::String(v) } = &back else {
            panic!("{back:?}");
        };
        prop_assert_eq!(p.name(), "userName");
        prop_assert_eq!(*o, op);
        prop_assert_eq!(v, &s);

        // Also inside a larger filter: the structure does not change.
        let bigger = Filter::present(path("title")).and(f.clone()).or(Filter::value_path(path("emails"), f));
        prop_assert_eq!(Filter::parse(&bigger.to_string()).expect("parses"), bigger);
    }

    /// String values are escaped exactly as JSON (`serde_json`) escapes them, and
    /// `String::from(filter)` writes the same text as `to_string()`.
    #[test]
    fn string_values_are_escaped_as_json(s in any::<String>()) {
        prop_assert_eq!(
            CompValue::String(s.clone()).to_string(),
            serde_json::to_string(&s).expect("serializes")
        );
        let f = Filter::compare(path("userName"), CompareOp::Eq, s);
        prop_assert_eq!(String::from(f.clone()), f.to_string());
    }

    /// Every tree prints as text that parses back to the same tree.
    #[test]
    fn any_filter_round_trips(f in arb_filter()) {
        prop_assert_eq!(String::from(f.clone()), f.to_string());
        let printed = f.to_string();
        let back = Filter::parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
        prop_assert_eq!(&back, &f, "printed as {:?}", printed);
        prop_assert_eq!(back.to_string(), printed);
    }

    /// PATCH paths with value filters round-trip too.
    #[test]
    fn any_patch_path_round_trips(attr in arb_path(), f in prop::option::of(arb_filter()), sub in prop::option::of(arb_name())) {
        let p = match f {
            Some(f) => PatchPath::with_filter(attr, f, sub.as_deref()).expect("valid sub-attribute"),
            None => PatchPath::from(attr),
        };
        prop_assert_eq!(PatchPath::parse(&p.to_string()).expect("parses"), p);
    }

    /// Arbitrary input never panics; whatever parses is stable under printing.
    #[test]
    fn arbitrary_input_never_panics(s in "[a-zA-Z0-9 ()\\[\\]\".:$_\\\\-]{0,40}|\\PC{0,40}") {
        if let Ok(f) = Filter::parse(&s) {
            prop_assert_eq!(Filter::parse(&f.to_string()).expect("reparses"), f);
        }
        if let Ok(p) = PatchPath::parse(&s) {
            prop_assert_eq!(PatchPath::parse(&p.to_string()).expect("reparses"), p);
        }
        if let Ok(p) = AttrPath::parse(&s) {
            prop_assert_eq!(AttrPath::parse(&p.to_string()).expect("reparses"), p);
        }
    }
}

// ----- evaluation ----------------------------------------------------------------------------

#[track_caller]
fn assert_matches(resource: &Value, f: &str, expected: bool) {
    assert_eq!(filter(f).matches(resource), expected, "{f}");
}

#[test]
fn matches_the_rfc_enterprise_user() {
    let user = user();
    let cases: &[(&str, bool)] = &[
        // Attribute names, operators and (by default) string values are case-insensitive.
        (r#"userName eq "bjensen@example.com""#, true),
        (r#"USERNAME Eq "BJensen@Example.COM""#, true),
        (r#"userName eq "bjensen""#, false),
        (r#"name.familyName co "ENS""#, true),
        (r#"Name.FamilyName sw "jen""#, true),
        (r#"name.givenName ew "ara""#, true),
        // Multi-valued complex attributes: any value; without a sub-attribute, `value`.
        (r#"emails co "jensen.org""#, true),
        (r#"emails.type eq "home""#, true),
        (r#"emails.type eq "other""#, false),
        (r#"phoneNumbers.value eq "555-555-4444""#, true),
        // Value paths test one value at a time; a flat `and` does not.
        (
            r#"emails[type eq "work" and value co "@example.com"]"#,
            true,
        ),
        (
            r#"emails[type eq "home" and value co "@example.com"]"#,
            false,
        ),
        (
            r#"emails.type eq "home" and emails.value co "@example.com""#,
            true,
        ),
        (r#"emails[type eq "home"] or ims[type eq "xmpp"]"#, true),
        (r#"ims[type eq "xmpp" and value co "@foo.com"]"#, false),
        (r#"groups[display eq "employees"]"#, true),
        (r#"groups.$ref co "e9e30dba""#, true),
        // Presence.
        ("title pr", true),
        ("nonexistent pr", false),
        ("emails pr", true),
        ("name pr", true),
        ("x509Certificates.value pr", true),
        ("emails.display pr", false),
        // dateTime ordering on meta.lastModified (2011-05-13T04:42:34Z).
        (r#"meta.lastModified gt "2011-05-13T04:42:33Z""#, true),
        (r#"meta.lastModified gt "2011-05-13T04:42:34Z""#, false),
        (r#"meta.lastModified ge "2011-05-13T04:42:34Z""#, true),
        (r#"meta.lastModified lt "2011-05-13T04:42:34Z""#, false),
        (r#"meta.lastModified le "2011-05-13T04:42:34Z""#, true),
        (r#"meta.lastModified eq "2011-05-13T04:42:34.000Z""#, true),
        // Chronological, not lexicographic: 05:00+02:00 is 03:00Z.
        (r#"meta.lastModified gt "2011-05-13T05:00:00+02:00""#, true),
        (r#"meta.lastModified lt "2011-05-13T05:00:00+02:00""#, false),
        // Lexicographic for other strings.
        (r#"userName gt "a""#, true),
        (r#"userName lt "B""#, false),
        // The enterprise extension by URN; core attributes by the core URN.
        (&format!(r#"{ENTERPRISE}:employeeNumber eq "701984""#), true),
        (
            &format!(
                r#"{}:EMPLOYEENUMBER eq "701984""#,
                ENTERPRISE.to_lowercase()
            ),
            true,
        ),
        (
            &format!(r#"{ENTERPRISE}:manager.displayName eq "john smith""#),
            true,
        ),
        (
            &format!(r#"{ENTERPRISE}:manager.value sw "26118915""#),
            true,
        ),
        (&format!("{ENTERPRISE}:userName pr"), false),
        (
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bjensen""#,
            true,
        ),
        ("urn:example:other:2.0:User:userName pr", false),
        (&format!(r#"schemas eq "{ENTERPRISE}""#), true),
        // Booleans: equality only.
        ("active eq true", true),
        ("active ne false", true),
        ("active gt false", false),
        ("active eq \"true\"", false),
        // null and absent.
        ("nickName eq null", false),
        ("middleNameX eq null", true),
        ("title ne null", true),
        (r#"nonexistent ne "x""#, true),
        (r#"userType ne "Employee""#, false),
        // Logic, with the RFC's precedence.
        (r#"not (userType eq "Intern")"#, true),
        (r#"title pr and userType eq "Employee""#, true),
        (r#"title pr or userType eq "Intern""#, true),
        (
            r#"userType eq "Intern" and title pr or active eq true"#,
            true,
        ),
        (
            r#"userType eq "Intern" and (title pr or active eq true)"#,
            false,
        ),
    ];
    for &(f, expected) in cases {
        assert_matches(&user, f, expected);
    }

    // Every RFC example filter evaluates without trouble.
    let results: Vec<bool> = lines(FILTERS)
        .into_iter()
        .map(|l| filter(l).matches(&user))
        .collect();
    assert_eq!(
        results,
        [
            false, false, false, false, false, false, true, false, true, false, true, true, true,
            true, true, false, true, true, true
        ]
    );
}

#[test]
fn matches_numbers_and_empty_values() {
    let r = json!({
        "age": 42,
        "score": 1.5,
        "big": u64::MAX,
        "tags": ["a", "B"],
        "empty": [],
        "blank": {},
        "nothing": null,
        "scores": [{"value": 3}, {"value": 9}],
    });
    for (f, expected) in [
        ("age gt 41", true),
        ("age eq 42.0", true),
        ("age ge 42.5", false),
        ("age eq \"42\"", false),
        ("age co 4", false),
        ("score lt 2", true),
        ("score gt -1e3", true),
        ("big gt 9223372036854775807", true),
        ("big eq 18446744073709551615", true),
        ("tags eq \"b\"", true),
        ("tags sw \"c\"", false),
        ("scores gt 5", true),
        ("scores lt 3", false),
        ("empty pr", false),
        ("blank pr", false),
        ("nothing pr", false),
        ("empty eq null", true),
        ("nothing eq null", true),
        ("tags eq null", false),
        ("tags ne null", true),
        ("nothing gt null", false),
    ] {
        assert_matches(&r, f, expected);
    }
    assert!(!filter("a pr").matches(&json!("not an object")));
}

#[test]
fn matches_with_case_exact_attributes() {
    let user = user();
    let asked = RefCell::new(Vec::new());
    let case_exact = |p: &AttrPath| {
        asked.borrow_mut().push(p.to_string());
        p.eq_ignore_case(&path("userName")) || p.eq_ignore_case(&path("emails.value"))
    };
    let check = |f: &str, expected: bool| {
        assert_eq!(filter(f).matches_with(&user, case_exact), expected, "{f}");
    };
    check(r#"userName eq "BJENSEN@example.com""#, false);
    check(r#"userName eq "bjensen@example.com""#, true);
    check(r#"emails[value eq "BJENSEN@example.com"]"#, false);
    check(r#"emails[type eq "WORK"]"#, true);
    check(r#"title eq "TOUR GUIDE""#, true);
    // Inside `[...]` the closure is asked about the qualified path, once per value tested.
    let mut asked = asked.take();
    asked.dedup();
    assert_eq!(asked, ["userName", "emails.value", "emails.type", "title"]);
    // The default is case-insensitive.
    assert!(filter(r#"userName eq "BJENSEN@example.com""#).matches(&user));
}
