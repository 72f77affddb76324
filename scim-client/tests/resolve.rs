//! Paths and filters resolved against metadata (`AttrPath::resolve`, `PatchPath::resolve`,
//! `Filter::check`) and PATCH requests checked before sending (`patch::check`): every path
//! and filter of the RFC 7644 fixtures, derived and imported (runtime) schemas alike, case
//! insensitivity, suggestions for typos, operators that do not fit the attribute type, and the
//! PATCH rules (readOnly, required, immutable, value types).

use std::path::Path;

use scim_client::filter::Filter;
use scim_client::model::{EnterpriseUser, Group, User};
use scim_client::patch::{self, PatchErrorKind, Schemas};
use scim_client::path::{AttrPath, PatchPath, PathError, PathErrorKind};
use scim_client::protocol::{PatchOp, PatchOpKind, PatchOperation};
use scim_client::schema::{AttributeType, Mutability, SchemaDef};
use serde_json::{Value, json};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

type EUser = User<EnterpriseUser>;

// ----- helpers ---------------------------------------------------------------------------------

fn fixture(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixture_lines(file: &str) -> Vec<String> {
    fixture(file)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn json_fixture(file: &str) -> Value {
    serde_json::from_str(&fixture(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn users() -> Schemas<'static> {
    Schemas::of::<EUser>()
}

fn groups() -> Schemas<'static> {
    Schemas::of::<Group>()
}

/// The schemas a path is meant for: `members` is a Group attribute, the rest User ones.
fn schemas_for(path: &str) -> Schemas<'static> {
    if path.to_ascii_lowercase().starts_with("members") {
        groups()
    } else {
        users()
    }
}

/// RFC 7643 section 8.7's schemas, imported at run time.
fn imported(file: &str) -> &'static SchemaDef {
    let schema = SchemaDef::from_json(&json_fixture(&format!("rfc7643/{file}")))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    Box::leak(Box::new(schema))
}

fn imported_users() -> Schemas<'static> {
    Schemas::new(
        imported("schema-user.json"),
        &[imported("schema-enterprise-user.json")],
    )
}

fn resolve_err(path: &str, schemas: &Schemas<'_>) -> PathError {
    match AttrPath::parse(path) {
        Ok(p) => p.resolve(schemas).map(|a| a.name.to_string()),
        Err(e) => panic!("{path}: {e}"),
    }
    .expect_err(path)
}

fn check_err(filter: &str, schemas: &Schemas<'_>) -> PathError {
    Filter::parse(filter)
        .unwrap_or_else(|e| panic!("{filter}: {e}"))
        .check(schemas)
        .expect_err(filter)
}

/// A runtime schema with one attribute of every type and the interesting characteristics.
fn device_schema() -> &'static SchemaDef {
    let schema = SchemaDef::from_json(&json!({
        "id": "urn:example:params:scim:schemas:2.0:Device",
        "name": "Device",
        "attributes": [
            {"name": "serial", "type": "string", "required": true, "mutability": "immutable"},
            {"name": "label", "type": "string"},
            {"name": "lastSeen", "type": "dateTime"},
            {"name": "firmware", "type": "binary"},
            {"name": "ports", "type": "integer"},
            {"name": "load", "type": "decimal"},
            {"name": "online", "type": "boolean"},
            {"name": "home", "type": "reference", "referenceTypes": ["external"]},
            {"name": "tags", "type": "string", "multiValued": true},
            {"name": "assetTag", "type": "string", "mutability": "immutable"},
            {"name": "registered", "type": "dateTime", "mutability": "readOnly"},
            {"name": "location", "type": "complex", "subAttributes": [
                {"name": "room", "type": "string"},
                {"name": "floor", "type": "integer"},
                {"name": "since", "type": "dateTime"},
                {"name": "building", "type": "string", "required": true}
            ]},
            {"name": "interfaces", "type": "complex", "multiValued": true, "subAttributes": [
                {"name": "value", "type": "string"},
                {"name": "speed", "type": "integer"},
                {"name": "mac", "type": "string", "mutability": "immutable"},
                {"name": "primary", "type": "boolean"}
            ]}
        ]
    }))
    .expect("device schema");
    Box::leak(Box::new(schema))
}

fn devices() -> Schemas<'static> {
    Schemas::new(device_schema(), &[])
}

fn check_patch(patch: &PatchOp, schemas: &Schemas<'_>) -> Result<(), patch::PatchError> {
    patch::check(patch, schemas, None)
}

// ----- the RFC fixtures resolve --------------------------------------------------------------

/// Every PATCH path of RFC 7644 section 3.5.2 (the grammar examples and those of the request
/// examples) resolves, except the two the RFC itself gets wrong.
#[test]
fn every_rfc_patch_path_resolves() {
    let mut resolved = 0;
    for file in [
        "rfc7644/patch-paths.txt",
        "rfc7644/patch-paths-in-examples.txt",
    ] {
        for line in fixture_lines(file) {
            let path = match PatchPath::parse(&line) {
                Ok(path) => path,
                Err(e) => {
                    // RFC 7644 page 37 writes `eq"` without the space the ABNF requires.
                    assert!(line.contains("eq\""), "{line}: {e}");
                    continue;
                }
            };
            for schemas in [schemas_for(&line), imported_for(&line)] {
                match path.resolve(&schemas) {
                    Ok(r) => {
                        resolved += 1;
                        assert!(
                            r.canonical()
                                .eq_ignore_ascii_case(&expected_canonical(&path)),
                            "{line}: {}",
                            r.canonical()
                        );
                    }
                    Err(e) => {
                        // RFC 7644 section 3.5.2 names `members[...].displayName`, a
                        // sub-attribute the Group schema of RFC 7643 section 8.7.1 lacks
                        // (the examples use `display`, erratum 6011).
                        assert!(line.ends_with("].displayName"), "{line}: {e}");
                        assert_eq!(e.kind(), PathErrorKind::UnknownAttribute);
                        assert_eq!(
                            e.to_string(),
                            "`members` has no sub-attribute `displayName`",
                        );
                    }
                }
            }
        }
    }
    assert_eq!(resolved, 2 * 11);
}

fn imported_for(path: &str) -> Schemas<'static> {
    if path.to_ascii_lowercase().starts_with("members") {
        Schemas::new(imported("schema-group.json"), &[])
    } else {
        imported_users()
    }
}

/// `emails[type eq "work"].value` resolves to `emails.value`.
fn expected_canonical(path: &PatchPath) -> String {
    let attr = path.attr();
    let mut out = attr.name().to_owned();
    if let Some(sub) = attr.sub_attr().or(path.sub_attr()) {
        out.push('.');
        out.push_str(sub);
    }
    out
}

/// Every RFC 7644 section 3.4.2.2 filter that parses passes the check, against derived and
/// imported metadata.
#[test]
fn every_rfc_filter_checks() {
    let mut checked = 0;
    for file in ["rfc7644/filters.txt", "rfc7644/filters-other.txt"] {
        for line in fixture_lines(file) {
            let Ok(filter) = Filter::parse(&line) else {
                // `eq User` and `sw 'Group'` are not JSON values.
                assert!(line.contains(" User)") || line.contains('\''), "{line}");
                continue;
            };
            for schemas in [users(), imported_users()] {
                filter
                    .check(&schemas)
                    .unwrap_or_else(|e| panic!("{line}: {e}"));
                checked += 1;
            }
            filter.check(&groups()).map_or_else(
                |e| {
                    // Most of them are about users.
                    assert!(
                        matches!(
                            e.kind(),
                            PathErrorKind::UnknownAttribute | PathErrorKind::UnknownSchema
                        ),
                        "{line}: {e}"
                    );
                },
                |()| {},
            );
        }
    }
    assert_eq!(checked, 2 * 21);
}

/// Every `PatchOp` request of RFC 7644 section 3.5.2 passes `check`, but the one whose path the
/// RFC misprints.
#[test]
fn every_rfc_patch_request_checks() {
    let mut passed = 0;
    for file in [
        "3.5.2-patch-request-general.json",
        "3.5.2.1-patch-add-emails-nickname-request.json",
        "3.5.2.1-patch-add-member-request.json",
        "3.5.2.2-patch-remove-all-and-add-members-request.json",
        "3.5.2.2-patch-remove-all-members-request.json",
        "3.5.2.2-patch-remove-and-add-member-request.json",
        "3.5.2.2-patch-remove-filtered-emails-request.json",
        "3.5.2.2-patch-remove-member-request.json",
        "3.5.2.3-patch-replace-emails-nickname-request.json",
        "3.5.2.3-patch-replace-members-request.json",
        "3.5.2.3-patch-replace-street-address-request.json",
        "3.5.2.3-patch-replace-work-address-request.json",
    ] {
        let patch: PatchOp = serde_json::from_value(json_fixture(&format!("rfc7644/{file}")))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let schemas = if file.contains("member") || file.contains("general") {
            groups()
        } else {
            users()
        };
        match patch.check(&schemas, None) {
            Ok(()) => passed += 1,
            Err(e) => {
                assert_eq!(
                    file, "3.5.2.2-patch-remove-and-add-member-request.json",
                    "{e}"
                );
                assert_eq!(e.kind(), PatchErrorKind::InvalidPath, "{e}");
                assert!(e.message().contains("position"), "{e}");
            }
        }
    }
    assert_eq!(passed, 11);
}

// ----- names -----------------------------------------------------------------------------------

#[test]
fn names_and_urns_resolve_in_any_case() {
    let schemas = users();
    for (path, name, ty) in [
        ("userName", "userName", AttributeType::String),
        ("USERNAME", "userName", AttributeType::String),
        ("Name.FamilyName", "familyName", AttributeType::String),
        ("name", "name", AttributeType::Complex),
        ("emails.VALUE", "value", AttributeType::String),
        ("EMAILS.primary", "primary", AttributeType::Boolean),
        ("id", "id", AttributeType::String),
        ("externalId", "externalId", AttributeType::String),
        ("META.lastmodified", "lastModified", AttributeType::DateTime),
        ("schemas", "schemas", AttributeType::Reference),
        ("x509Certificates.value", "value", AttributeType::Binary),
        ("active", "active", AttributeType::Boolean),
        (
            "urn:ietf:params:scim:schemas:core:2.0:User:userName",
            "userName",
            AttributeType::String,
        ),
        (
            "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:name.givenName",
            "givenName",
            AttributeType::String,
        ),
        (
            "urn:ietf:params:scim:schemas:core:2.0:User:meta.created",
            "created",
            AttributeType::DateTime,
        ),
        // An unqualified name only the extension defines resolves there.
        ("department", "department", AttributeType::String),
        ("Manager.Value", "value", AttributeType::String),
        (
            "URN:IETF:params:scim:schemas:EXTENSION:enterprise:2.0:user:employeeNUMBER",
            "employeeNumber",
            AttributeType::String,
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName",
            "displayName",
            AttributeType::String,
        ),
    ] {
        for schemas in [&schemas, &imported_users()] {
            let a = AttrPath::parse(path)
                .and_then(|p| p.resolve(schemas))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!((&*a.name, a.ty), (name, ty), "{path}");
        }
    }
    // The same attribute, whatever the spelling.
    let a = AttrPath::parse("USERNAME")
        .unwrap()
        .resolve(&schemas)
        .unwrap();
    let b = AttrPath::parse(&format!("{CORE_USER}:username"))
        .unwrap()
        .resolve(&schemas)
        .unwrap();
    assert!(std::ptr::eq(a, b));
}

#[test]
fn resolved_parts_and_canonical_spelling() {
    let schemas = users();
    let r = AttrPath::parse("NAME.givenname")
        .unwrap()
        .resolve_parts(&schemas)
        .unwrap();
    assert!(!r.is_extension());
    assert_eq!(r.schema().id, CORE_USER);
    assert_eq!(r.attribute().name, "name");
    assert_eq!(r.sub_attribute().map(|s| &*s.name), Some("givenName"));
    assert_eq!(r.target().name, "givenName");
    assert_eq!(r.canonical(), "name.givenName");

    let r = AttrPath::parse("department")
        .unwrap()
        .resolve_parts(&schemas)
        .unwrap();
    assert!(r.is_extension());
    assert_eq!(r.schema().id, ENTERPRISE);
    assert_eq!(r.canonical(), format!("{ENTERPRISE}:department"));
    assert_eq!(r.sub_attribute(), None);

    let r = AttrPath::parse("meta.version")
        .unwrap()
        .resolve_parts(&schemas)
        .unwrap();
    assert_eq!(
        r.schema().id,
        CORE_USER,
        "common attributes belong to the core"
    );
    assert_eq!(r.target().mutability, Mutability::ReadOnly);

    let r = PatchPath::parse(r#"ADDRESSES[Type eq "work"].streetaddress"#)
        .unwrap()
        .resolve(&schemas)
        .unwrap();
    assert_eq!(r.canonical(), "addresses.streetAddress");
}

#[test]
fn typos_get_a_suggestion() {
    let schemas = users();
    for (path, kind, message, suggestion) in [
        (
            "usrName",
            PathErrorKind::UnknownAttribute,
            "unknown attribute `usrName`, did you mean `userName`?",
            Some("userName"),
        ),
        (
            "name.givenNme",
            PathErrorKind::UnknownAttribute,
            "`name` has no sub-attribute `givenNme`, did you mean `givenName`?",
            Some("givenName"),
        ),
        (
            "NAME.FAMILYNAM",
            PathErrorKind::UnknownAttribute,
            "`NAME` has no sub-attribute `FAMILYNAM`, did you mean `familyName`?",
            Some("familyName"),
        ),
        (
            "phoneNumber",
            PathErrorKind::UnknownAttribute,
            "unknown attribute `phoneNumber`, did you mean `phoneNumbers`?",
            Some("phoneNumbers"),
        ),
        (
            "departmnt",
            PathErrorKind::UnknownAttribute,
            "unknown attribute `departmnt`, did you mean `department`?",
            Some("department"),
        ),
        (
            "emails.vlaue",
            PathErrorKind::UnknownAttribute,
            "`emails` has no sub-attribute `vlaue`, did you mean `value`?",
            Some("value"),
        ),
        (
            "metta.created",
            PathErrorKind::UnknownAttribute,
            "unknown attribute `metta`, did you mean `meta`?",
            Some("meta"),
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCentre",
            PathErrorKind::UnknownAttribute,
            "unknown attribute `costCentre` in schema `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`, did you mean `costCenter`?",
            Some("costCenter"),
        ),
        (
            "urn:ietf:params:scim:schemas:core:2.0:User:userNam",
            PathErrorKind::UnknownAttribute,
            "unknown attribute `userNam` in schema `urn:ietf:params:scim:schemas:core:2.0:User`, did you mean `userName`?",
            Some("userName"),
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:Usr:department",
            PathErrorKind::UnknownSchema,
            "`urn:ietf:params:scim:schemas:extension:enterprise:2.0:Usr:department`: unknown schema `urn:ietf:params:scim:schemas:extension:enterprise:2.0:Usr`, did you mean `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`?",
            Some(ENTERPRISE),
        ),
        // Too far from every name: no suggestion.
        (
            "xyzzy",
            PathErrorKind::UnknownAttribute,
            "unknown attribute `xyzzy`",
            None,
        ),
        (
            "name.shoeSize",
            PathErrorKind::UnknownAttribute,
            "`name` has no sub-attribute `shoeSize`",
            None,
        ),
        (
            "urn:example:schemas:Thing:x",
            PathErrorKind::UnknownSchema,
            "`urn:example:schemas:Thing:x`: unknown schema `urn:example:schemas:Thing`",
            None,
        ),
    ] {
        let e = resolve_err(path, &schemas);
        assert_eq!(e.kind(), kind, "{path}");
        assert_eq!(e.to_string(), message, "{path}");
        assert_eq!(e.suggestion(), suggestion, "{path}");
        assert_eq!(e.position(), 0);
        assert_eq!(e.message(), message);
        // Imported metadata gives the same answers.
        assert_eq!(resolve_err(path, &imported_users()), e, "{path}");
    }
}

#[test]
fn paths_of_the_wrong_shape_are_refused() {
    let schemas = users();
    for (path, message) in [
        (
            "userName.first",
            "`userName` is not complex: it has no sub-attribute `first`",
        ),
        (
            ENTERPRISE,
            "`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User` is a schema URN, not an attribute path",
        ),
        (
            CORE_USER,
            "`urn:ietf:params:scim:schemas:core:2.0:User` is a schema URN, not an attribute path",
        ),
    ] {
        let e = resolve_err(path, &schemas);
        assert_eq!(e.kind(), PathErrorKind::Structure, "{path}");
        assert_eq!(e.to_string(), message, "{path}");
    }
    for (path, kind, message) in [
        (
            r#"title[value eq "x"]"#,
            PathErrorKind::Structure,
            "`title` is not multi-valued: it cannot take a value filter",
        ),
        (
            r#"name.givenName[value eq "x"]"#,
            PathErrorKind::Structure,
            "`name.givenName[value eq \"x\"]`: a value filter applies to an attribute, not to a sub-attribute",
        ),
        (
            r#"emails[tpye eq "work"].value"#,
            PathErrorKind::UnknownAttribute,
            "`emails` has no sub-attribute `tpye`, did you mean `type`?",
        ),
        (
            r#"emails[type eq "work"].vaule"#,
            PathErrorKind::UnknownAttribute,
            "`emails` has no sub-attribute `vaule`, did you mean `value`?",
        ),
        (
            r#"emails[type.x eq "work"]"#,
            PathErrorKind::Structure,
            "`emails.type` is not complex: it has no sub-attribute `x`",
        ),
        (
            r#"emails[urn:ietf:params:scim:schemas:core:2.0:User:type eq "work"]"#,
            PathErrorKind::Structure,
            "`urn:ietf:params:scim:schemas:core:2.0:User:type` inside `emails[...]` must be the name of a sub-attribute of `emails`",
        ),
        (
            r#"emails[primary sw "t"]"#,
            PathErrorKind::Operator,
            "`emails.primary sw \"t\"`: `sw` does not apply to `emails.primary`, a boolean attribute (`co`, `sw` and `ew` apply to strings only)",
        ),
        (
            r#"schemas[type eq "x"]"#,
            PathErrorKind::UnknownAttribute,
            "`schemas` has simple values, which a value filter names `value`, not `type`",
        ),
    ] {
        let e = PatchPath::parse(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .resolve(&schemas)
            .expect_err(path);
        assert_eq!(e.kind(), kind, "{path}");
        assert_eq!(e.to_string(), message, "{path}");
    }
    // Simple multi-valued values are named `value` inside a filter.
    let r = PatchPath::parse(&format!(r#"schemas[VALUE eq "{ENTERPRISE}"]"#))
        .unwrap()
        .resolve(&schemas)
        .unwrap();
    assert_eq!(r.target().name, "schemas");
}

#[test]
fn an_unqualified_name_two_extensions_define_is_ambiguous() {
    let a: &'static SchemaDef = Box::leak(Box::new(
        SchemaDef::from_json(&json!({
            "id": "urn:example:ext:A",
            "attributes": [{"name": "badge", "type": "string"}, {"name": "only", "type": "string"}]
        }))
        .unwrap(),
    ));
    let b: &'static SchemaDef = Box::leak(Box::new(
        SchemaDef::from_json(&json!({
            "id": "urn:example:ext:B",
            "attributes": [{"name": "Badge", "type": "integer"}]
        }))
        .unwrap(),
    ));
    let schemas = Schemas::new(<User>::SCHEMA_REF, &[a, b]);
    let e = resolve_err("badge", &schemas);
    assert_eq!(e.kind(), PathErrorKind::AmbiguousAttribute);
    assert_eq!(
        e.to_string(),
        "`badge` is defined by `urn:example:ext:A` and `urn:example:ext:B`: qualify it with the URN of the one meant"
    );
    let ty = |p: &str| AttrPath::parse(p).unwrap().resolve(&schemas).unwrap().ty;
    assert_eq!(ty("urn:example:ext:B:badge"), AttributeType::Integer);
    assert_eq!(ty("urn:example:ext:a:BADGE"), AttributeType::String);
    assert_eq!(ty("only"), AttributeType::String);
    // A core name wins over the extensions'.
    assert_eq!(ty("userName"), AttributeType::String);
}

/// `<User>::SCHEMA` as a `&'static` reference.
trait SchemaRef {
    const SCHEMA_REF: &'static SchemaDef;
}

impl SchemaRef for User {
    const SCHEMA_REF: &'static SchemaDef = <User as scim_client::Resource>::SCHEMA;
}

// ----- filters ---------------------------------------------------------------------------------

#[test]
fn operators_that_do_not_fit_the_type_are_refused() {
    let schemas = users();
    for (filter, message) in [
        (
            "active gt true",
            "`active gt true`: `gt` does not apply to `active`, a boolean attribute (booleans have no order)",
        ),
        (
            "emails.primary le false",
            "`emails.primary le false`: `le` does not apply to `emails.primary`, a boolean attribute (booleans have no order)",
        ),
        (
            r#"meta.created co "2011""#,
            "`meta.created co \"2011\"`: `co` does not apply to `meta.created`, a dateTime attribute (`co`, `sw` and `ew` apply to strings only)",
        ),
        (
            r#"meta.lastModified sw "2011""#,
            "`meta.lastModified sw \"2011\"`: `sw` does not apply to `meta.lastModified`, a dateTime attribute (`co`, `sw` and `ew` apply to strings only)",
        ),
        (
            r#"active ew "e""#,
            "`active ew \"e\"`: `ew` does not apply to `active`, a boolean attribute (`co`, `sw` and `ew` apply to strings only)",
        ),
        (
            r#"x509Certificates gt "MII""#,
            "`x509Certificates gt \"MII\"`: `gt` does not apply to `x509Certificates`, compared through its binary sub-attribute `value` (binary values have no order)",
        ),
        (
            r#"x509Certificates.value co "MII""#,
            "`x509Certificates.value co \"MII\"`: `co` does not apply to `x509Certificates.value`, a binary attribute (`co`, `sw` and `ew` apply to strings only)",
        ),
        (
            r#"name eq "Barbara""#,
            "`name eq \"Barbara\"`: `eq` does not apply to `name`, a complex attribute without a `value` sub-attribute: compare one of its sub-attributes, such as `name.formatted`",
        ),
        (
            r#"urn:ietf:params:scim:schemas:core:2.0:User:meta gt "x""#,
            "`urn:ietf:params:scim:schemas:core:2.0:User:meta gt \"x\"`: `gt` does not apply to `urn:ietf:params:scim:schemas:core:2.0:User:meta`, a complex attribute without a `value` sub-attribute: compare one of its sub-attributes, such as `urn:ietf:params:scim:schemas:core:2.0:User:meta.resourceType`",
        ),
        // Deep inside: the first offending comparison, wherever it is.
        (
            r#"userName eq "a" or (title pr and not (active lt false))"#,
            "`active lt false`: `lt` does not apply to `active`, a boolean attribute (booleans have no order)",
        ),
        (
            r#"emails[type eq "work" and primary gt true]"#,
            "`emails.primary gt true`: `gt` does not apply to `emails.primary`, a boolean attribute (booleans have no order)",
        ),
    ] {
        let e = check_err(filter, &schemas);
        assert_eq!(e.kind(), PathErrorKind::Operator, "{filter}");
        assert_eq!(e.to_string(), message, "{filter}");
        assert_eq!(check_err(filter, &imported_users()), e, "{filter}");
    }
}

#[test]
fn operators_that_fit_pass() {
    for filter in [
        // A complex attribute with `value` is compared through it.
        r#"emails co "x""#,
        r#"emails sw "bjensen" and emails ew ".com""#,
        r#"emails gt "a""#,
        r#"x509Certificates eq "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMC""#,
        r#"manager eq "26118915""#,
        // Equality on anything, `pr` on anything.
        "active eq true",
        "active ne false",
        "name pr",
        "meta pr and addresses pr",
        "emails.primary eq true",
        r#"x509Certificates.value eq "AAAA""#,
        // Ordering on strings, dateTimes, references, numbers.
        r#"meta.created gt "2011-05-13T04:42:34Z""#,
        r#"userName lt "m""#,
        r#"profileUrl ge "https://""#,
        r#"meta.location co "/Users/""#,
        r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
        r#"emails[type eq "work" and value co "@example.com"]"#,
        "not (emails[not (primary eq true)])",
        "title eq null",
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x""#,
        r#"department sw "Tour""#,
    ] {
        let filter_v = Filter::parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
        filter_v
            .check(&users())
            .unwrap_or_else(|e| panic!("{filter}: {e}"));
    }
    // Numbers and references of a runtime schema.
    for filter in [
        "ports gt 2",
        "load le 0.5",
        r#"home sw "https://""#,
        r#"lastSeen lt "2030-01-01T00:00:00Z""#,
        r#"interfaces[speed ge 1000 and value co "eth"]"#,
        r#"tags co "x""#,
        r#"tags[value sw "x"]"#,
    ] {
        Filter::parse(filter)
            .unwrap()
            .check(&devices())
            .unwrap_or_else(|e| panic!("{filter}: {e}"));
    }
    for (filter, op) in [
        ("ports co 2", "co"),
        ("load sw 1", "sw"),
        ("online gt true", "gt"),
        (r#"firmware lt "AA==""#, "lt"),
        (r#"location eq "x""#, "eq"),
        (r#"interfaces[speed co "1"]"#, "co"),
    ] {
        let e = check_err(filter, &devices());
        assert_eq!(e.kind(), PathErrorKind::Operator, "{filter}");
        assert!(e.message().contains(&format!("`{op}`")), "{filter}: {e}");
    }
}

#[test]
fn unknown_paths_in_filters_are_named() {
    let schemas = users();
    for (filter, message) in [
        (
            r#"usrName eq "bjensen""#,
            "unknown attribute `usrName`, did you mean `userName`?",
        ),
        (
            r#"title pr and (emails[tpye eq "work"] or userName pr)"#,
            "`emails` has no sub-attribute `tpye`, did you mean `type`?",
        ),
        (
            r#"not (name.familyNme co "O'Malley")"#,
            "`name` has no sub-attribute `familyNme`, did you mean `familyName`?",
        ),
        (
            r#"userName[value eq "x"]"#,
            "`userName` is neither complex nor multi-valued: it cannot take a value filter",
        ),
    ] {
        assert_eq!(check_err(filter, &schemas).to_string(), message, "{filter}");
    }
}

#[test]
fn a_long_chain_is_checked_without_recursion() {
    let leaf = Filter::parse(r#"userName eq "x""#).unwrap();
    let mut chain = leaf.clone();
    for _ in 0..100_000 {
        chain = Filter::And(Box::new(leaf.clone()), Box::new(chain));
    }
    assert!(chain.check(&users()).is_ok());
    chain = Filter::And(
        Box::new(Filter::parse("active gt true").unwrap()),
        Box::new(chain),
    );
    assert_eq!(
        chain.check(&users()).unwrap_err().kind(),
        PathErrorKind::Operator
    );
    // Dropping a 100,000-deep tree recurses: leak it instead.
    std::mem::forget(chain);
}

#[test]
fn syntax_errors_keep_their_position() {
    let e = AttrPath::parse("name.").unwrap_err();
    assert_eq!(e.kind(), PathErrorKind::Syntax);
    assert_eq!(e.position(), 5);
    assert!(e.to_string().starts_with("at position 5: "), "{e}");
    assert_eq!(e.suggestion(), None);
}

// ----- PatchOp::check --------------------------------------------------------------------------

#[test]
fn a_well_formed_patch_passes() {
    let patch = PatchOp::new()
        .replace("USERNAME", "bjensen")
        .add("name.givenName", "Barbara")
        .replace("active", false)
        .add("emails", json!({"value": "b@example.com", "type": "home"}))
        .add(
            "emails",
            json!([{"value": "c@example.com", "primary": true}]),
        )
        .replace(r#"emails[type eq "work"].value"#, "w@example.com")
        .replace(
            r#"emails[type eq "work"]"#,
            json!({"value": "w@example.com", "type": "work"}),
        )
        .replace("x509Certificates", json!([{"value": "TUlJRA=="}]))
        .replace(format!("{ENTERPRISE}:department"), "Tours")
        .replace(format!("{ENTERPRISE}:manager.value"), "26118915")
        .add(
            format!("{ENTERPRISE}:manager"),
            json!({"value": "26118915", "displayName": "ignored: readOnly"}),
        )
        .replace(
            ENTERPRISE,
            json!({"costCenter": "4130", "manager": {"value": "x"}}),
        )
        .add_to_resource(json!({
            "nickName": "Babs",
            "name.familyName": "Jensen",
            ENTERPRISE: {"division": "Theme Park"},
        }))
        .replace_in_resource(
            json!({"title": null, "addresses": [{"type": "work", "country": "US"}]}),
        )
        .replace("externalId", "e-1")
        .replace("schemas", json!([CORE_USER, ENTERPRISE]))
        .remove("title")
        .remove(r#"phoneNumbers[type eq "fax"]"#)
        .remove(ENTERPRISE)
        .push(PatchOperation::new(
            PatchOpKind::Remove,
            Some("emails".into()),
            Some(json!([{"value": "b@example.com"}])),
        ));
    patch.check(&users(), None).unwrap();
    patch::check(&patch, &imported_users(), None).unwrap();
    assert!(patch::check(&PatchOp::new(), &users(), None).is_ok());
}

#[test]
fn read_only_targets_are_refused() {
    for path in [
        "id",
        "meta",
        "meta.created",
        "groups",
        r#"groups[value eq "x"].display"#,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName",
        "URN:ietf:params:scim:schemas:extension:enterprise:2.0:User:MANAGER.DISPLAYNAME",
    ] {
        for patch in [
            PatchOp::new().replace(path, "x"),
            PatchOp::new().add(path, "x"),
            PatchOp::new().remove(path),
        ] {
            let e = check_patch(&patch, &users()).expect_err(path);
            assert_eq!(e.kind(), PatchErrorKind::Mutability, "{path}: {e}");
            assert!(e.message().ends_with("is readOnly"), "{e}");
        }
    }
    // Also as a key of a path-less value.
    let e = check_patch(
        &PatchOp::new().replace_in_resource(json!({"displayName": "x", "id": "y"})),
        &users(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), PatchErrorKind::Mutability);
    assert_eq!(e.message(), "`id` is readOnly");
    let e = check_patch(
        &PatchOp::new().add("registered", "2020-01-01T00:00:00Z"),
        &devices(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Operations[0] (add `registered`): mutability: `registered` is readOnly"
    );
}

#[test]
fn structural_rules() {
    let schemas = users();
    let e = check_patch(
        &PatchOp::new()
            .replace("title", "x")
            .push(PatchOperation::new(PatchOpKind::Remove, None, None)),
        &schemas,
    )
    .unwrap_err();
    assert_eq!((e.kind(), e.index()), (PatchErrorKind::NoTarget, 1));
    assert_eq!(e.message(), "`remove` needs a `path`");
    for (op, kind) in [
        (
            PatchOperation::new(PatchOpKind::Remove, Some(" ".into()), None),
            PatchErrorKind::NoTarget,
        ),
        (
            PatchOperation::new(PatchOpKind::Add, Some("title".into()), None),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::new(PatchOpKind::Add, Some("title".into()), Some(Value::Null)),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::new(PatchOpKind::Replace, Some("title".into()), None),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::new(PatchOpKind::Remove, Some("title".into()), Some(json!("x"))),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::new(PatchOpKind::Add, None, Some(json!("x"))),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::new(
                PatchOpKind::Replace,
                Some(ENTERPRISE.into()),
                Some(json!(1)),
            ),
            PatchErrorKind::InvalidValue,
        ),
        (
            PatchOperation::new(
                PatchOpKind::Remove,
                Some(ENTERPRISE.into()),
                Some(json!({})),
            ),
            PatchErrorKind::InvalidValue,
        ),
    ] {
        let e =
            check_patch(&PatchOp::new().push(op.clone()), &schemas).expect_err(&format!("{op:?}"));
        assert_eq!(e.kind(), kind, "{op:?}: {e}");
    }
    // `replace` with `null` unassigns.
    assert!(check_patch(&PatchOp::new().replace("title", Value::Null), &schemas).is_ok());
    assert!(check_patch(&PatchOp::new().replace(ENTERPRISE, Value::Null), &schemas).is_ok());
}

#[test]
fn paths_are_resolved_with_suggestions() {
    let schemas = users();
    for (patch, message) in [
        (
            PatchOp::new().replace("nickNme", "Babs"),
            "unknown attribute `nickNme`, did you mean `nickName`?",
        ),
        (
            PatchOp::new().remove(r#"emails[tpye eq "work"]"#),
            "`emails` has no sub-attribute `tpye`, did you mean `type`?",
        ),
        (
            PatchOp::new().add_to_resource(json!({"displayNam": "x"})),
            "unknown attribute `displayNam`, did you mean `displayName`?",
        ),
        (
            PatchOp::new().replace(ENTERPRISE, json!({"departmnt": "x"})),
            "unknown attribute `departmnt` in schema `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`, did you mean `department`?",
        ),
        (
            PatchOp::new().replace("title[value eq \"x\"]", "y"),
            "`title` is not multi-valued: it cannot take a value filter",
        ),
        (
            PatchOp::new().replace("emails[type eq \"work\"", "y"),
            "`emails[type eq \"work\"` is not a valid path: at position 20: expected `]` to close the value filter started at position 6, found the end of the input",
        ),
    ] {
        let e = check_patch(&patch, &schemas).unwrap_err();
        assert_eq!(e.kind(), PatchErrorKind::InvalidPath, "{e}");
        if message.contains("position") {
            assert!(
                e.message()
                    .starts_with("`emails[type eq \"work\"` is not a valid path"),
                "{e}"
            );
        } else {
            assert_eq!(e.message(), message);
        }
    }
}

/// RFC 7644 section 3.10: clients qualify extension attributes (scim2-server refuses bare
/// ones with `invalidPath`), although `apply` and `resolve` accept them.
#[test]
fn extension_attributes_must_be_qualified() {
    for (patch, message) in [
        (
            PatchOp::new().replace("department", "Tours"),
            "`department` is an attribute of the extension `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`: write `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department` (RFC 7644 section 3.10: clients qualify extension attributes)",
        ),
        (
            PatchOp::new().remove("Manager.value"),
            "`manager` is an attribute of the extension `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`: write `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:Manager.value` (RFC 7644 section 3.10: clients qualify extension attributes)",
        ),
        (
            PatchOp::new().add_to_resource(json!({"costCenter": "4130"})),
            "`costCenter` is an attribute of the extension `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`: write `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter` (RFC 7644 section 3.10: clients qualify extension attributes)",
        ),
    ] {
        let e = check_patch(&patch, &users()).unwrap_err();
        assert_eq!(
            (e.kind(), e.message()),
            (PatchErrorKind::InvalidPath, message)
        );
        // `apply` is tolerant.
        let mut user = json!({"userName": "bjensen", "schemas": [CORE_USER]});
        patch::apply(&mut user, &patch, &users()).unwrap();
    }
    // Inside the extension's own object, names are qualified by where they are.
    assert!(
        check_patch(
            &PatchOp::new().add_to_resource(json!({ENTERPRISE: {"costCenter": "4130"}})),
            &users()
        )
        .is_ok()
    );
    assert!(
        AttrPath::parse("department")
            .unwrap()
            .resolve(&users())
            .is_ok()
    );
}

#[test]
fn required_attributes_cannot_be_removed() {
    for patch in [
        PatchOp::new().remove("userName"),
        PatchOp::new().replace("USERNAME", Value::Null),
        PatchOp::new().replace_in_resource(json!({"userName": null})),
    ] {
        let e = check_patch(&patch, &users()).unwrap_err();
        assert_eq!(e.kind(), PatchErrorKind::Mutability);
        assert_eq!(e.message(), "`userName` is required and cannot be removed");
    }
    let e = check_patch(&PatchOp::new().remove("location.building"), &devices()).unwrap_err();
    assert_eq!(
        e.message(),
        "`location.building` is required and cannot be removed"
    );
    // `add` with a null member does nothing.
    assert!(
        check_patch(
            &PatchOp::new().add_to_resource(json!({"userName": null})),
            &users()
        )
        .is_ok()
    );
}

#[test]
fn values_must_fit_the_attribute_type() {
    let schemas = users();
    for (patch, message) in [
        (
            PatchOp::new().replace("active", "yes"),
            "`active` takes boolean values, not a string",
        ),
        (
            PatchOp::new().replace("active", "True"),
            "`active` takes boolean values, not a string",
        ),
        (
            PatchOp::new().replace("userName", 42),
            "`userName` takes string values, not a number",
        ),
        (
            PatchOp::new().add("emails", "b@example.com"),
            "`emails` takes complex (object) values, not a string: write `{\"value\": ...}`",
        ),
        (
            PatchOp::new().add(
                "emails",
                json!([{"value": "b@example.com", "tpye": "home"}]),
            ),
            "`emails` has no sub-attribute `tpye`, did you mean `type`?",
        ),
        (
            PatchOp::new().add(
                "emails",
                json!([{"value": "b@example.com", "primary": "yes"}]),
            ),
            "`emails.primary` takes boolean values, not a string",
        ),
        (
            PatchOp::new().add("emails", json!([{"value": "b@example.com"}, null])),
            "`emails`: `null` is not a value",
        ),
        (
            PatchOp::new().replace(r#"emails[type eq "work"]"#, json!([{"value": "x"}])),
            "`emails` takes complex (object) values (one value here), not an array",
        ),
        (
            PatchOp::new().replace("name", "Barbara"),
            "`name` takes complex (object) values, not a string",
        ),
        (
            PatchOp::new().replace("name.givenName", json!(["Barbara"])),
            "`name.givenName` takes string values, not an array",
        ),
        (
            PatchOp::new().replace("x509Certificates", json!([{"value": "not base64!"}])),
            "`x509Certificates.value` takes binary values: the string is not base64 (RFC 4648 section 4, padded)",
        ),
        (
            PatchOp::new().replace(format!("{ENTERPRISE}:manager"), "26118915"),
            "`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager` takes complex (object) values, not a string: write `{\"value\": ...}`",
        ),
        (
            PatchOp::new().add_to_resource(json!({"title": ["a", "b"]})),
            "`title` takes string values, not an array",
        ),
        (
            PatchOp::new().replace("schemas", json!([CORE_USER, 7])),
            "`schemas` takes reference values, not a number",
        ),
    ] {
        let e = check_patch(&patch, &schemas).expect_err(&format!("{patch:?}"));
        assert_eq!(e.kind(), PatchErrorKind::InvalidValue, "{e}");
        assert_eq!(e.message(), message);
        // `apply` is more tolerant, but never of a wrong type.
        let _ = patch::apply(&mut json!({"userName": "bjensen"}), &patch, &schemas);
    }
}

#[test]
fn runtime_schema_value_types() {
    let schemas = devices();
    let good = PatchOp::new()
        .replace("lastSeen", "2024-02-29T12:00:00.5+01:00")
        .replace("firmware", "AAECAw==")
        .replace("ports", 48)
        .replace("load", 0.25)
        .replace("load", 1)
        .replace("online", true)
        .replace("home", "https://example.com/devices/1")
        .add("tags", "rack-1")
        .add("tags", json!(["rack-2", "rack-3"]))
        .replace("location.floor", 3)
        .replace(
            "location",
            json!({"room": "B12", "since": "2020-01-01T00:00:00Z"}),
        )
        .add(
            "interfaces",
            json!({"value": "eth0", "speed": 1000, "mac": "aa:bb"}),
        )
        .replace(r#"interfaces[value eq "eth0"].speed"#, 10_000)
        .add("assetTag", "A-1");
    good.check(&schemas, None).unwrap();
    for (patch, message) in [
        (
            PatchOp::new().replace("lastSeen", "yesterday"),
            "`lastSeen` takes dateTime values: `yesterday` is not an RFC 3339 date-time with an offset (such as `2011-05-13T04:42:34Z`)",
        ),
        (
            PatchOp::new().replace("lastSeen", "2024-02-29T12:00:00"),
            "`lastSeen` takes dateTime values: `2024-02-29T12:00:00` is not an RFC 3339 date-time with an offset (such as `2011-05-13T04:42:34Z`)",
        ),
        (
            PatchOp::new().replace("lastSeen", 1_700_000_000),
            "`lastSeen` takes dateTime values, not a number",
        ),
        (
            PatchOp::new().replace("location.since", "2020-13-01T00:00:00Z"),
            "`location.since` takes dateTime values: `2020-13-01T00:00:00Z` is not an RFC 3339 date-time with an offset (such as `2011-05-13T04:42:34Z`)",
        ),
        (
            PatchOp::new().replace("firmware", "AAECAw"),
            "`firmware` takes binary values: the string is not base64 (RFC 4648 section 4, padded)",
        ),
        (
            PatchOp::new().replace("firmware", json!([0, 1])),
            "`firmware` takes binary values, not an array",
        ),
        (
            PatchOp::new().replace("ports", 2.5),
            "`ports` takes integer values, not a number",
        ),
        (
            PatchOp::new().replace("ports", "48"),
            "`ports` takes integer values, not a string",
        ),
        (
            PatchOp::new().replace("load", "0.5"),
            "`load` takes decimal values, not a string",
        ),
        (
            PatchOp::new().replace("home", json!({"uri": "x"})),
            "`home` takes reference values, not an object",
        ),
        (
            PatchOp::new().add("tags", json!([1])),
            "`tags` takes string values, not a number",
        ),
        (
            PatchOp::new().replace(r#"interfaces[value eq "eth0"].speed"#, "fast"),
            "`interfaces.speed` takes integer values, not a string",
        ),
        (
            PatchOp::new().add("interfaces", json!({"value": "eth1", "sped": 10})),
            "`interfaces` has no sub-attribute `sped`, did you mean `speed`?",
        ),
    ] {
        let e = check_patch(&patch, &schemas).expect_err(&format!("{patch:?}"));
        assert_eq!(
            (e.kind(), e.message()),
            (PatchErrorKind::InvalidValue, message)
        );
    }
}

#[test]
fn immutable_attributes_only_added_while_absent() {
    let schemas = devices();
    let absent = json!({"serial": "S-1", "interfaces": [{"value": "eth0", "mac": "aa:bb"}]});
    let present = json!({"serial": "S-1", "assetTag": "A-1", "interfaces": [{"value": "eth0", "mac": "aa:bb"}]});

    let set = PatchOp::new().add("assetTag", "A-2");
    // Without the resource nothing tells: it passes, as documented.
    assert!(set.check(&schemas, None).is_ok());
    assert!(set.check(&schemas, Some(&absent)).is_ok());
    let e = set.check(&schemas, Some(&present)).unwrap_err();
    assert_eq!((e.kind(), e.index()), (PatchErrorKind::Mutability, 0));
    assert!(e.message().contains("immutable"), "{e}");
    // The same value again changes nothing.
    assert!(
        PatchOp::new()
            .replace("assetTag", "A-1")
            .check(&schemas, Some(&present))
            .is_ok()
    );
    // Added, then changed in the same patch: the second operation is refused.
    let e = PatchOp::new()
        .add("assetTag", "A-1")
        .replace("assetTag", "A-3")
        .check(&schemas, Some(&absent))
        .unwrap_err();
    assert_eq!((e.kind(), e.index()), (PatchErrorKind::Mutability, 1));
    // Removing it while it has a value.
    let e = PatchOp::new()
        .remove("assetTag")
        .check(&schemas, Some(&present))
        .unwrap_err();
    assert_eq!(e.kind(), PatchErrorKind::Mutability);
    assert!(
        PatchOp::new()
            .remove("assetTag")
            .check(&schemas, Some(&absent))
            .is_ok()
    );
    // An immutable sub-attribute of a value that has it.
    let e = PatchOp::new()
        .replace(r#"interfaces[value eq "eth0"].mac"#, "cc:dd")
        .check(&schemas, Some(&present))
        .unwrap_err();
    assert_eq!(e.kind(), PatchErrorKind::Mutability);
    // A new value may set it.
    assert!(
        PatchOp::new()
            .add("interfaces", json!({"value": "eth1", "mac": "cc:dd"}))
            .check(&schemas, Some(&present))
            .is_ok()
    );

    // The Group members of RFC 7643 section 8.7.1: `value` is immutable.
    let group = json!({"displayName": "Tour Guides", "members": [{"value": "2819c223"}]});
    let change = PatchOp::new().replace(r#"members[value eq "2819c223"].value"#, "902c246b");
    assert!(change.check(&groups(), None).is_ok());
    assert_eq!(
        change.check(&groups(), Some(&group)).unwrap_err().kind(),
        PatchErrorKind::Mutability
    );
    let add = PatchOp::new().add("members", json!([{"value": "902c246b"}]));
    assert!(add.check(&groups(), Some(&group)).is_ok());
}

#[test]
fn with_the_resource_what_apply_refuses_is_refused() {
    let user =
        json!({"userName": "bjensen", "emails": [{"value": "a@example.com", "type": "work"}]});
    // A value filter that matches nothing in a `replace`.
    let patch = PatchOp::new()
        .replace("title", "x")
        .replace(r#"emails[type eq "home"].value"#, "h@example.com");
    assert!(patch.check(&users(), None).is_ok());
    let e = patch.check(&users(), Some(&user)).unwrap_err();
    assert_eq!((e.kind(), e.index()), (PatchErrorKind::NoTarget, 1));
    // Two new primary values.
    let e = PatchOp::new()
        .add(
            "emails",
            json!([{"value": "b@example.com", "primary": true}, {"value": "c@example.com", "primary": true}]),
        )
        .check(&users(), Some(&user))
        .unwrap_err();
    assert_eq!(e.kind(), PatchErrorKind::InvalidValue);
}
