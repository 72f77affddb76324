//! Schema export and import (RFC 7643 section 7) against the schema representations printed in
//! RFC 7643 section 8.7: the derived `SchemaDef` of every built-in model, attribute by attribute
//! and characteristic by characteristic, with every deliberate difference listed and explained;
//! and `SchemaDef::from_json` / `to_json` round trips of the printed files.

use std::path::Path;

use scim_client::model::{
    EnterpriseUser, Group, ResourceType, Schema, ServiceProviderConfig, User,
};
use scim_client::schema::{SCHEMA_URN, SchemaDef};
use scim_client::{Extension, Resource};
use serde_json::{Map, Value, json};

fn rfc(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rfc7643")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Normalisation: what "the same schema" means.
// ---------------------------------------------------------------------------------------------

/// The characteristics compared, in RFC 7643 section 7 order (`name` and `subAttributes` apart).
const CHARACTERISTICS: [&str; 10] = [
    "type",
    "multiValued",
    "description",
    "required",
    "caseExact",
    "mutability",
    "returned",
    "uniqueness",
    "canonicalValues",
    "referenceTypes",
];

/// The RFC 7643 section 2.2 / section 7 default of a characteristic. The RFC prints some
/// characteristics only where they matter (`caseExact` and `uniqueness` are left out of
/// booleans, `canonicalValues` and `referenceTypes` out of most attributes) and `to_json`
/// leaves out what does not apply (`caseExact`/`uniqueness` on complex attributes, RFC 7643
/// erratum 6004; empty lists), so an absent characteristic is compared as its default.
fn default_of(characteristic: &str) -> Value {
    match characteristic {
        "type" => json!("string"),
        "multiValued" | "required" | "caseExact" => json!(false),
        "description" => json!(""),
        "mutability" => json!("readWrite"),
        "returned" => json!("default"),
        "uniqueness" => json!("none"),
        "canonicalValues" | "referenceTypes" => json!([]),
        other => unreachable!("{other}"),
    }
}

/// Collapses runs of whitespace: the RFC's wrapped descriptions were re-joined with single
/// spaces and may have had two spaces after a period (the corpus README says so), and doc
/// comments are joined line by line.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One attribute with every characteristic present (defaults filled in), descriptions
/// whitespace-normalised, sub-attributes normalised recursively.
fn normalise_attribute(attribute: &Value) -> Map<String, Value> {
    let given = attribute.as_object().expect("an attribute is an object");
    let mut out = Map::new();
    out.insert("name".into(), given["name"].clone());
    for key in CHARACTERISTICS {
        let value = given
            .get(key)
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(|| default_of(key));
        let value = match (key, value) {
            ("description", Value::String(text)) => Value::String(squash(&text)),
            (_, value) => value,
        };
        out.insert(key.into(), value);
    }
    let subs = given
        .get("subAttributes")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|a| Value::Object(normalise_attribute(a)))
                .collect()
        })
        .unwrap_or_default();
    out.insert("subAttributes".into(), Value::Array(subs));
    out
}

/// Compares two attribute lists attribute by attribute (matched by name, case-insensitively)
/// and characteristic by characteristic, and checks that the attributes they share come in the
/// same order.
fn compare_attributes(at: &str, ours: &[Value], expected: &[Value], out: &mut Vec<String>) {
    let name = |v: &Value| v["name"].as_str().expect("name").to_owned();
    for e in expected {
        let n = name(e);
        let path = format!("{at}{n}");
        let Some(o) = ours.iter().find(|o| name(o).eq_ignore_ascii_case(&n)) else {
            out.push(format!("{path}: missing from the derived schema"));
            continue;
        };
        let (o, e) = (normalise_attribute(o), normalise_attribute(e));
        for (k, ev) in &e {
            if k == "subAttributes" {
                continue;
            }
            if &o[k] != ev {
                out.push(format!("{path}.{k}: derived {}, expected {ev}", o[k]));
            }
        }
        let subs =
            |m: &Map<String, Value>| m["subAttributes"].as_array().cloned().unwrap_or_default();
        compare_attributes(&format!("{path}."), &subs(&o), &subs(&e), out);
    }
    for o in ours {
        if !expected
            .iter()
            .any(|e| name(e).eq_ignore_ascii_case(&name(o)))
        {
            out.push(format!("{at}{}: in the derived schema only", name(o)));
        }
    }
    let order = |list: &[Value], other: &[Value]| -> Vec<String> {
        list.iter()
            .map(name)
            .filter(|n| other.iter().any(|o| name(o).eq_ignore_ascii_case(n)))
            .map(|n| n.to_ascii_lowercase())
            .collect()
    };
    if order(ours, expected) != order(expected, ours) {
        out.push(format!(
            "{at}*: order differs: derived {:?}, expected {:?}",
            order(ours, expected),
            order(expected, ours)
        ));
    }
}

/// Compares a derived schema with the expected one: `id`, `name`, `description`, then every
/// attribute.
fn compare_schema(derived: &SchemaDef, expected: &Value) -> Vec<String> {
    let ours = derived.to_json();
    let mut out = Vec::new();
    for k in ["id", "name", "description"] {
        let (o, e) = (
            ours[k].as_str().map(squash),
            expected[k].as_str().map(squash),
        );
        if o != e {
            out.push(format!("schema {k}: derived {o:?}, expected {e:?}"));
        }
    }
    compare_attributes(
        "",
        ours["attributes"].as_array().expect("attributes"),
        expected["attributes"].as_array().expect("attributes"),
        &mut out,
    );
    out
}

// ---------------------------------------------------------------------------------------------
// Deliberate differences from the printed schemas.
// ---------------------------------------------------------------------------------------------

/// One deliberate difference between a model and the schema RFC 7643 section 8.7 prints.
struct Change {
    /// Dotted attribute path (`groups.$ref`); empty for the schema itself.
    path: &'static str,
    what: What,
    /// Why (an erratum, or the RFC text the printed schema contradicts).
    why: &'static str,
}

enum What {
    /// Sets a characteristic (or, on the schema itself, `name` / `description`).
    Set(&'static str, Value),
    /// Inserts an attribute the printed schema leaves out, after the named sibling (the
    /// model's position). Its `description` is the model's own (the RFC prints none), copied
    /// from the derived schema; every other characteristic is checked.
    Add {
        after: &'static str,
        attribute: Value,
    },
}

/// Applies `changes` to the printed schema `file` and fills in the descriptions of added
/// attributes from `derived`.
fn expected(file: &str, derived: &SchemaDef, changes: &[Change]) -> Value {
    let mut schema = rfc(file);
    for c in changes {
        let segments: Vec<&str> = c.path.split('.').filter(|s| !s.is_empty()).collect();
        match &c.what {
            What::Set(key, value) if segments.is_empty() => {
                schema[*key] = value.clone();
            }
            What::Set(key, value) => {
                let attr = find_mut(&mut schema["attributes"], &segments, c);
                attr[*key] = value.clone();
            }
            What::Add { after, attribute } => {
                let (name, parents) = segments.split_last().expect("a path");
                let list = if parents.is_empty() {
                    &mut schema["attributes"]
                } else {
                    &mut find_mut(&mut schema["attributes"], parents, c)["subAttributes"]
                };
                let list = list.as_array_mut().expect("a list");
                let at = list
                    .iter()
                    .position(|a| a["name"] == *after)
                    .unwrap_or_else(|| panic!("{}: no `{after}` ({})", c.path, c.why));
                let mut attribute = attribute.clone();
                attribute["name"] = json!(name);
                attribute["description"] = json!(derived_description(derived, &segments));
                list.insert(at + 1, attribute);
            }
        }
    }
    schema
}

fn find_mut<'a>(list: &'a mut Value, segments: &[&str], c: &Change) -> &'a mut Value {
    let (first, rest) = segments.split_first().expect("a path");
    let attr = list
        .as_array_mut()
        .expect("a list")
        .iter_mut()
        .find(|a| a["name"] == *first)
        .unwrap_or_else(|| panic!("{}: no attribute `{first}` ({})", c.path, c.why));
    if rest.is_empty() {
        attr
    } else {
        find_mut(&mut attr["subAttributes"], rest, c)
    }
}

fn derived_description(derived: &SchemaDef, segments: &[&str]) -> String {
    let mut attr = derived.attribute(segments[0]);
    for s in &segments[1..] {
        attr = attr.and_then(|a| a.sub_attribute(s));
    }
    attr.map(|a| a.description.to_string()).unwrap_or_default()
}

fn set(path: &'static str, key: &'static str, value: Value, why: &'static str) -> Change {
    Change {
        path,
        what: What::Set(key, value),
        why,
    }
}

fn add(path: &'static str, after: &'static str, attribute: Value, why: &'static str) -> Change {
    Change {
        path,
        what: What::Add { after, attribute },
        why,
    }
}

/// `User` (RFC 7643 section 8.7.1, `schema-user.json`).
fn user_changes() -> Vec<Change> {
    vec![
        // Group memberships reference groups only.
        set(
            "groups.$ref",
            "referenceTypes",
            json!(["Group"]),
            "RFC 7643 erratum 8471",
        ),
        // Section 2.4 lists `primary` among the default sub-attributes of multi-valued
        // attributes and the section 8.2 example sets `addresses[0].primary`; 8.7.1 forgot it.
        add(
            "addresses.primary",
            "type",
            json!({"type": "boolean", "multiValued": false, "required": false,
                   "mutability": "readWrite", "returned": "default"}),
            "RFC 7643 sections 2.4 and 8.2",
        ),
    ]
}

/// `Group` (RFC 7643 section 8.7.1, `schema-group.json`).
fn group_changes() -> Vec<Change> {
    vec![
        // Section 4.2 and the attribute's own description say REQUIRED.
        set(
            "displayName",
            "required",
            json!(true),
            "RFC 7643 erratum 5368",
        ),
        // Section 8.4 and every RFC 7644 PATCH example use `members[].display`; section 2.4
        // makes `display` immutable.
        add(
            "members.display",
            "type",
            json!({"type": "string", "multiValued": false, "required": false,
                   "caseExact": false, "mutability": "immutable", "returned": "default",
                   "uniqueness": "none"}),
            "RFC 7643 erratum 6011",
        ),
    ]
}

/// `EnterpriseUser` (RFC 7643 section 8.7.1, `schema-enterprise-user.json`).
fn enterprise_changes() -> Vec<Change> {
    vec![
        // It holds a User `id`, and ids are case-exact.
        set(
            "manager.value",
            "caseExact",
            json!(true),
            "RFC 7643 erratum 8472",
        ),
    ]
}

/// `ServiceProviderConfig` (RFC 7643 section 8.7.2, `schema-service-provider-config.json`).
fn service_provider_config_changes() -> Vec<Change> {
    vec![
        // Section 5 defines `type` (REQUIRED, with five defined values) and the section 8.5
        // example uses `type` and `primary`; section 8.7.2 prints neither.
        add(
            "authenticationSchemes.type",
            "documentationUri",
            json!({"type": "string", "multiValued": false, "required": true,
                   "canonicalValues": ["oauth", "oauth2", "oauthbearertoken", "httpbasic",
                                       "httpdigest"],
                   "caseExact": false, "mutability": "readOnly", "returned": "default",
                   "uniqueness": "none"}),
            "RFC 7643 erratum 8011, section 5",
        ),
        add(
            "authenticationSchemes.primary",
            "type",
            json!({"type": "boolean", "multiValued": false, "required": false,
                   "mutability": "readOnly", "returned": "default"}),
            "RFC 7643 erratum 8011, section 8.5",
        ),
        // Section 5 defines `etag` (REQUIRED, one REQUIRED `supported`) and section 8.5 uses
        // it; section 8.7.2 leaves it out. (Section 5 lists it after `sort`; attribute order
        // carries no meaning, so the model's position is used.)
        add(
            "etag",
            "changePassword",
            json!({"type": "complex", "multiValued": false, "required": true,
                   "mutability": "readOnly", "returned": "default",
                   "subAttributes": [{
                       "name": "supported", "type": "boolean", "multiValued": false,
                       "description": "A Boolean value specifying whether or not the operation is supported.",
                       "required": true, "mutability": "readOnly", "returned": "default"}]}),
            "RFC 7643 section 5",
        ),
    ]
}

/// `ResourceType` (RFC 7643 section 8.7.2, `schema-resource-type.json`).
fn resource_type_changes() -> Vec<Change> {
    vec![
        // Resource type names are unique within the server and case-exact.
        set("name", "caseExact", json!(true), "RFC 7643 erratum 8475"),
        set(
            "name",
            "uniqueness",
            json!("server"),
            "RFC 7643 erratum 8475",
        ),
        // "A list of URIs": section 8.6 prints an array.
        set(
            "schemaExtensions",
            "multiValued",
            json!(true),
            "RFC 7643 erratum 7522",
        ),
    ]
}

/// `Schema` (RFC 7643 section 8.7.2, `schema-schema.json`).
fn schema_changes() -> Vec<Change> {
    vec![
        // `attributes.referenceTypes` is multi-valued; the copy under `subAttributes` says
        // `false`, yet it holds the same list of strings (the corpus README notes the
        // inconsistency).
        set(
            "attributes.subAttributes.referenceTypes",
            "multiValued",
            json!(true),
            "RFC 7643 section 7 (`referenceTypes` is a list)",
        ),
    ]
}

fn assert_matches(derived: &SchemaDef, file: &str, changes: &[Change]) {
    let expected = expected(file, derived, changes);
    let differences = compare_schema(derived, &expected);
    assert!(
        differences.is_empty(),
        "{} differs from {file} (after the {} deliberate differences):\n{}",
        derived.id,
        changes.len(),
        differences.join("\n")
    );
}

#[test]
fn user_schema_matches_rfc() {
    assert_matches(<User>::SCHEMA, "schema-user.json", &user_changes());
}

#[test]
fn group_schema_matches_rfc() {
    assert_matches(Group::SCHEMA, "schema-group.json", &group_changes());
}

#[test]
fn enterprise_user_schema_matches_rfc() {
    assert_matches(
        <EnterpriseUser as Extension>::SCHEMA,
        "schema-enterprise-user.json",
        &enterprise_changes(),
    );
}

#[test]
fn service_provider_config_schema_matches_rfc() {
    assert_matches(
        ServiceProviderConfig::SCHEMA,
        "schema-service-provider-config.json",
        &service_provider_config_changes(),
    );
}

#[test]
fn resource_type_schema_matches_rfc() {
    assert_matches(
        ResourceType::SCHEMA,
        "schema-resource-type.json",
        &resource_type_changes(),
    );
}

#[test]
fn schema_schema_matches_rfc() {
    assert_matches(Schema::SCHEMA, "schema-schema.json", &schema_changes());
}

/// The resource-type metadata of the built-ins (RFC 7643 section 6, RFC 7644 section 4).
#[test]
fn built_in_resource_types_and_endpoints() {
    assert_eq!(
        (<User>::RESOURCE_TYPE, <User>::ENDPOINT),
        ("User", "/Users")
    );
    assert_eq!(
        (Group::RESOURCE_TYPE, Group::ENDPOINT),
        ("Group", "/Groups")
    );
    assert_eq!(
        (ResourceType::RESOURCE_TYPE, ResourceType::ENDPOINT),
        ("ResourceType", "/ResourceTypes")
    );
    assert_eq!(
        (Schema::RESOURCE_TYPE, Schema::ENDPOINT),
        ("Schema", "/Schemas")
    );
    // RFC 7644 section 4: the configuration is a single resource at `/ServiceProviderConfig`
    // (no plural), and `meta.resourceType` is `ServiceProviderConfig` (RFC 7643 section 8.5).
    assert_eq!(
        ServiceProviderConfig::RESOURCE_TYPE,
        "ServiceProviderConfig"
    );
    assert_eq!(ServiceProviderConfig::ENDPOINT, "/ServiceProviderConfig");
    // The extension is declared by `User<EnterpriseUser>`, not required.
    let decls = <User<EnterpriseUser>>::extensions();
    assert_eq!(decls.len(), 1);
    assert_eq!(decls[0].schema.id, <EnterpriseUser as Extension>::SCHEMA.id);
    assert!(!decls[0].required);
}

// ---------------------------------------------------------------------------------------------
// Import and export round trips.
// ---------------------------------------------------------------------------------------------

/// Every schema object printed in RFC 7643 section 8.7, from the single files and from the
/// arrays as printed.
fn printed_schemas() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for file in [
        "schema-user.json",
        "schema-group.json",
        "schema-enterprise-user.json",
        "schema-service-provider-config.json",
        "schema-resource-type.json",
        "schema-schema.json",
    ] {
        out.push((file.to_owned(), rfc(file)));
    }
    for file in ["resource-schemas.json", "service-provider-schemas.json"] {
        for (i, s) in rfc(file).as_array().expect("an array").iter().enumerate() {
            out.push((format!("{file}[{i}]"), s.clone()));
        }
    }
    out
}

#[test]
fn import_then_export_gives_the_printed_schema_back() {
    let mut failures = Vec::new();
    for (name, printed) in printed_schemas() {
        let imported = SchemaDef::from_json(&printed).unwrap_or_else(|e| panic!("{name}: {e}"));
        let exported = imported.to_json();
        // `to_json` adds `schemas` and `meta` (RFC 7643 erratum 8417); section 8.7.1 prints
        // the same `meta`, section 8.7.2 none.
        assert_eq!(exported["schemas"], json!([SCHEMA_URN]), "{name}");
        let meta = json!({
            "resourceType": "Schema",
            "location": format!("/v2/Schemas/{}", imported.id),
        });
        assert_eq!(exported["meta"], meta, "{name}");
        if let Some(m) = printed.get("meta") {
            assert_eq!(m, &meta, "{name}");
        }
        // Everything else comes back; absent characteristics compare as their defaults, and
        // descriptions (kept verbatim by import and export) compare exactly.
        for k in ["id", "name", "description"] {
            assert_eq!(exported[k], printed[k], "{name}: {k}");
        }
        let mut out = Vec::new();
        compare_attributes(
            "",
            exported["attributes"].as_array().expect("attributes"),
            printed["attributes"].as_array().expect("attributes"),
            &mut out,
        );
        if descriptions(&exported["attributes"]) != descriptions(&printed["attributes"]) {
            out.push("descriptions were not kept verbatim".to_owned());
        }
        failures.extend(out.into_iter().map(|d| format!("{name}: {d}")));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn import_of_the_corrected_schema_equals_the_derived_metadata() {
    let cases: [(&SchemaDef, &str, Vec<Change>); 6] = [
        (<User>::SCHEMA, "schema-user.json", user_changes()),
        (Group::SCHEMA, "schema-group.json", group_changes()),
        (
            <EnterpriseUser as Extension>::SCHEMA,
            "schema-enterprise-user.json",
            enterprise_changes(),
        ),
        (
            ServiceProviderConfig::SCHEMA,
            "schema-service-provider-config.json",
            service_provider_config_changes(),
        ),
        (
            ResourceType::SCHEMA,
            "schema-resource-type.json",
            resource_type_changes(),
        ),
        (Schema::SCHEMA, "schema-schema.json", schema_changes()),
    ];
    let mut failures = Vec::new();
    for (derived, file, changes) in cases {
        let mut corrected = expected(file, derived, &changes);
        squash_descriptions(&mut corrected["attributes"]);
        let imported = SchemaDef::from_json(&corrected).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(imported.id, derived.id, "{file}");
        if imported.attributes.len() != derived.attributes.len() {
            failures.push(format!(
                "{file}: {} attributes imported, {} derived",
                imported.attributes.len(),
                derived.attributes.len()
            ));
            continue;
        }
        for (i, d) in imported.attributes.iter().zip(derived.attributes.iter()) {
            let mut d = d.clone();
            squash_attribute(&mut d);
            if *i != d {
                let mut out = Vec::new();
                compare_attributes("", &[d.to_json()], &[i.to_json()], &mut out);
                failures.push(format!("{file}: `{}` differs: {}", i.name, out.join("; ")));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every description in an attribute list, depth first, exactly as written.
fn descriptions(list: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for a in list.as_array().into_iter().flatten() {
        out.push(a["description"].as_str().unwrap_or_default().to_owned());
        out.extend(descriptions(&a["subAttributes"]));
    }
    out
}

/// Whitespace-normalises the descriptions of an attribute list (JSON).
fn squash_descriptions(list: &mut Value) {
    for a in list.as_array_mut().into_iter().flatten() {
        if let Some(d) = a.get("description").and_then(Value::as_str) {
            a["description"] = json!(squash(d));
        }
        if let Some(s) = a.get_mut("subAttributes") {
            squash_descriptions(s);
        }
    }
}

/// Whitespace-normalises the descriptions of a derived attribute.
fn squash_attribute(a: &mut scim_client::schema::Attribute) {
    a.description = squash(&a.description).into();
    let mut subs = a.sub_attributes.to_vec();
    for s in &mut subs {
        squash_attribute(s);
    }
    a.sub_attributes = subs.into();
}

#[test]
fn the_comparison_reports_what_differs() {
    let derived = json!([
        {"name": "a", "type": "string", "caseExact": true},
        {"name": "b", "type": "complex", "subAttributes": [{"name": "c", "type": "boolean"}]},
        {"name": "extra"}
    ]);
    let expected = json!([
        {"name": "b", "type": "complex", "subAttributes": [{"name": "c", "type": "string"}]},
        {"name": "A", "type": "string", "caseExact": false, "uniqueness": "none"},
        {"name": "missing"}
    ]);
    let mut out = Vec::new();
    compare_attributes(
        "",
        derived.as_array().unwrap(),
        expected.as_array().unwrap(),
        &mut out,
    );
    assert_eq!(
        out,
        [
            "b.c.type: derived \"boolean\", expected \"string\"",
            // Names are matched case-insensitively, but exported in the expected spelling.
            "A.name: derived \"a\", expected \"A\"",
            "A.caseExact: derived true, expected false",
            "missing: missing from the derived schema",
            "extra: in the derived schema only",
            "*: order differs: derived [\"a\", \"b\"], expected [\"b\", \"a\"]",
        ]
    );
}
