//! `schemas` missing (accepted, as documented), wrong (refused) or of the wrong type (refused);
//! `returned: never` attributes, `returned: always` ones missing, and other rule violations in
//! responses.

use super::common::{
    CORE, ENTERPRISE, Expect, GROUP, LIST, cases, group, page, page_json, scim, user, user_json,
    with,
};
use scim_client::error::Rule;
use serde_json::json;

cases! {
    // Missing: accepted (documented leniency: several servers leave `schemas` out).
    schemas_missing_on_a_user: Get, user(&json!({"schemas": null})) => Expect::OkWith("bjensen");
    schemas_missing_on_a_group: GetGroup, group(&json!({"schemas": null})) => Expect::OkWith("Tour Guides");
    schemas_missing_on_a_list: List, page(&json!({"schemas": null})) => Expect::OkWith("u2");
    schemas_empty_on_a_user: Get, user(&json!({"schemas": []})) => Expect::OkWith("bjensen");
    schemas_null_on_a_config: Config, scim(200, &json!({"schemas": null, "etag": {"supported": true}})) => Expect::Ok;
    // Wrong: another type's schema.
    group_schema_on_a_user: Get, user(&json!({"schemas": [GROUP]})) => Expect::DecodeSays("User", "schemas");
    user_schema_on_a_group: GetGroup, group(&json!({"schemas": [CORE]})) => Expect::DecodeSays("Group", "schemas");
    user_schema_on_a_list_response: List, page(&json!({"schemas": [CORE]})) => Expect::DecodeSays("ListResponse", "schemas");
    list_schema_on_a_created_user: Create, scim(201, &with(user_json("1", "b"), &json!({"schemas": [LIST]}))) => Expect::DecodeSays("User", "schemas");
    group_schema_on_a_user_in_a_list: List, page(&json!({"Resources": [with(user_json("u1", "a"), &json!({"schemas": [GROUP]}))]})) => Expect::DecodeIn("ListResponse", "Resources[0]");
    only_the_extension_schema_on_a_user: GetEnterprise, scim(200, &json!({"schemas": [ENTERPRISE], "id": "1", "userName": "b"})) => Expect::DecodeSays("User", "schemas");
    // Of the wrong type.
    schemas_as_a_string: Get, user(&json!({"schemas": CORE})) => Expect::DecodeIn("User", "schemas");
    schemas_as_numbers: Get, user(&json!({"schemas": [1, 2]})) => Expect::DecodeIn("User", "schemas");
    schemas_as_an_object: GetGroup, group(&json!({"schemas": {"0": GROUP}})) => Expect::DecodeIn("Group", "schemas");
    schemas_as_a_boolean_on_a_list: List, page(&json!({"schemas": true})) => Expect::DecodeIn("ListResponse", "schemas");
    // Case does not matter.
    schemas_in_upper_case_are_fine: Get, user(&json!({"schemas": [CORE.to_ascii_uppercase()]})) => Expect::OkWith("bjensen");

    // `returned: never` (password) in every kind of response.
    password_in_a_get: Get, user(&json!({"password": "t1meMa$heen"})) => Expect::Violation("password", Rule::ReturnedNever);
    password_in_a_create_response: Create, scim(201, &with(user_json("1", "b"), &json!({"password": "x"}))) => Expect::Violation("password", Rule::ReturnedNever);
    password_in_a_replace_response: Replace, user(&json!({"password": "x"})) => Expect::Violation("password", Rule::ReturnedNever);
    password_in_a_patch_response: Patch, user(&json!({"password": "x"})) => Expect::Violation("password", Rule::ReturnedNever);
    password_in_a_list: List, page(&json!({"Resources": [user_json("u1", "a"), with(user_json("u2", "b"), &json!({"password": "x"}))]})) => Expect::Violation("Resources[1].password", Rule::ReturnedNever);
    password_in_a_search: Search, page(&json!({"Resources": [with(user_json("u1", "a"), &json!({"PASSWORD": "x"}))]})) => Expect::Violation("Resources[0].password", Rule::ReturnedNever);
    password_in_a_root_search: RootSearch, page(&json!({"Resources": [with(user_json("u1", "a"), &json!({"password": "x"}))]})) => Expect::Violation("Resources[0].password", Rule::ReturnedNever);
    // `returned: always` (id) missing.
    id_missing_in_a_get: Get, user(&json!({"id": null})) => Expect::Violation("id", Rule::ReturnedAlways);
    id_missing_in_a_group_list: ListGroup, scim(200, &page_json(&[json!({"displayName": "x"})], &json!({}))) => Expect::Violation("Resources[0].id", Rule::ReturnedAlways);
    id_empty_in_a_create_response: Create, scim(201, &with(user_json("1", "b"), &json!({"id": ""}))) => Expect::Violation("id", Rule::ReturnedAlways);
    // More than one primary value.
    two_primary_emails: Get, user(&json!({"emails": [{"value": "a@example.com", "primary": true}, {"value": "b@example.com", "primary": true}]})) => Expect::Violation("emails", Rule::PrimaryUniqueness);
    // `required` is a request rule: a response without `userName` (a projection) is fine.
    required_user_name_missing_in_a_response: Get, user(&json!({"userName": null})) => Expect::OkWith("user_name: None");
    required_display_name_missing_on_a_group: GetGroup, group(&json!({"displayName": null})) => Expect::OkWith("display_name: None");
    // Read-only attributes are what a server returns: fine.
    read_only_groups_and_meta_in_a_response: Get, user(&json!({"groups": [{"value": "g1", "display": "Tour Guides", "type": "direct"}], "meta": {"created": "2011-08-01T18:29:49.793Z"}})) => Expect::OkWith("Tour Guides");
    read_only_manager_display_name: GetEnterprise, super::common::enterprise(&json!({"manager": {"value": "9", "displayName": "Boss"}})) => Expect::OkWith("Boss");
}

cases! {
    // Discovery: a description that does not agree with itself is refused, naming what.
    schemas_not_serving_the_resource_types_schema: Schemas, super::common::schemas_page(&json!({"id": "urn:example:other"})) => Expect::Invalid("does not serve");
    created_group_without_schemas_is_fine: CreateGroup, scim(201, &json!({"id": "g9", "displayName": "Tour Guides"})) => Expect::OkWith("g9");
    created_group_with_a_user_schema: CreateGroup, scim(201, &json!({"schemas": [CORE], "id": "g9", "displayName": "x"})) => Expect::DecodeSays("Group", "schemas");
}
