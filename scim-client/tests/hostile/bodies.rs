//! Truncated JSON, invalid JSON, invalid UTF-8, empty bodies where a resource is expected.

use super::common::{Expect, bare, cases, raw, scim};
use scim_client::client::SCIM_JSON;
use serde_json::json;
use wiremock::ResponseTemplate;

/// `body` cut right after the first `marker`, as a SCIM answer.
fn truncated(status: u16, body: &str, marker: &str) -> ResponseTemplate {
    let end = body.find(marker).expect("the marker is in the body") + marker.len();
    raw(status, &body.as_bytes()[..end], SCIM_JSON)
}

const USER: &str = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"bjensen","emails":[{"value":"b@example.com","primary":true}]}"#;
const PAGE: &str = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":2,"Resources":[{"id":"u1","userName":"a"},{"id":"u2","userName":"b"}]}"#;
const GROUP: &str =
    r#"{"id":"g1","displayName":"Tour Guides","members":[{"value":"1","display":"Babs"}]}"#;
const CONFIG: &str = r#"{"patch":{"supported":true},"bulk":{"supported":true,"maxOperations":10},"etag":{"supported":true}}"#;

/// A user whose `displayName` holds the byte `0xff` (not UTF-8).
fn bad_utf8_user() -> Vec<u8> {
    let mut body = br#"{"id":"1","userName":"bjensen","displayName":"B"#.to_vec();
    body.push(0xff);
    body.extend_from_slice(br#"s"}"#);
    body
}

cases! {
    // Truncated JSON: a decode error naming the type and where the input ended.
    truncated_user_mid_a_boolean: Get, truncated(200, USER, r#""primary":tr"#) => Expect::Decode("User", "emails[0].primary");
    truncated_user_mid_the_user_name: Get, truncated(200, USER, r#""userName":"bje"#) => Expect::Decode("User", "userName");
    truncated_user_mid_a_key: Get, truncated(200, USER, r#""ema"#) => Expect::DecodeSays("User", "EOF");
    truncated_user_missing_last_brace: Get, truncated(200, USER, "true}]") => Expect::DecodeSays("User", "EOF");
    truncated_enterprise_user: GetEnterprise, truncated(200, USER, r#""value":"b@ex"#) => Expect::Decode("User", "emails[0].value");
    truncated_group_in_members: GetGroup, truncated(200, GROUP, r#""display":"Ba"#) => Expect::Decode("Group", "members[0].display");
    truncated_list_in_second_resource: List, truncated(200, PAGE, r#""u2","userName":""#) => Expect::Decode("ListResponse", "Resources[1].userName");
    truncated_search_page_mid_a_count: Search, truncated(200, PAGE, r#""totalResults":2"#) => Expect::DecodeSays("ListResponse", "EOF");
    truncated_create_answer: Create, truncated(201, USER, r#""userName":"#) => Expect::Decode("User", "userName");
    truncated_replace_answer: Replace, truncated(200, USER, r#""id":"1""#) => Expect::DecodeSays("User", "EOF");
    truncated_patch_answer: Patch, truncated(200, USER, r#"{"value"#) => Expect::DecodeSays("User", "EOF");
    truncated_service_provider_config: Config, truncated(200, CONFIG, r#""maxOperations":"#) => Expect::Decode("ServiceProviderConfig", "bulk.maxOperations");

    // Invalid JSON.
    single_quoted_json: Get, raw(200, "{'id': '1', 'userName': 'bjensen'}", SCIM_JSON) => Expect::DecodeSays("User", "key must be a string");
    trailing_garbage_after_the_object: Get, raw(200, format!("{USER} <!-- cached -->"), SCIM_JSON) => Expect::Decode("User", ".");
    two_concatenated_objects: Get, raw(200, format!("{USER}{USER}"), SCIM_JSON) => Expect::Decode("User", ".");
    json_with_comments: Get, raw(200, "{\"id\":\"1\", // the id\n\"userName\":\"b\"}", SCIM_JSON) => Expect::DecodeIn("User", "");
    nan_literal_in_a_list_count: List, raw(200, r#"{"totalResults":NaN,"Resources":[]}"#, SCIM_JSON) => Expect::Decode("ListResponse", "totalResults");
    top_level_array_for_a_user: Get, scim(200, &json!([{"id": "1", "userName": "b"}])) => Expect::Decode("User", ".");
    top_level_string_for_a_config: Config, scim(200, &json!("ok")) => Expect::Decode("ServiceProviderConfig", ".");
    top_level_null_for_a_group: GetGroup, raw(200, "null", SCIM_JSON) => Expect::Decode("Group", ".");
    html_body_labelled_scim_json: Get, raw(200, "<html><body>Sign in</body></html>", SCIM_JSON) => Expect::Decode("User", ".");

    // Invalid UTF-8 and broken escapes: the path names the attribute.
    invalid_utf8_in_a_string_value: Get, raw(200, bad_utf8_user(), SCIM_JSON) => Expect::Decode("User", "displayName");
    invalid_utf8_in_a_list_resource: List, raw(200, [br#"{"Resources":[{"id":"u1","userName":"a"},{"id":"u2","title":"x"#.as_slice(), &[0xc3, 0x28], br#""}]}"#].concat(), SCIM_JSON) => Expect::Decode("ListResponse", "Resources[1].title");
    invalid_utf8_in_a_key: Get, raw(200, [br#"{"id":"1","user"#.as_slice(), &[0xfe], br#"Name":"b"}"#].concat(), SCIM_JSON) => Expect::DecodeIn("User", "");
    lone_surrogate_escape: Get, raw(200, r#"{"id":"1","userName":"\ud800"}"#, SCIM_JSON) => Expect::Decode("User", "userName");
    utf8_byte_order_mark: Get, raw(200, [b"\xef\xbb\xbf".as_slice(), USER.as_bytes()].concat(), SCIM_JSON) => Expect::Decode("User", ".");
    utf16_body: Get, raw(200, USER.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>(), SCIM_JSON) => Expect::DecodeSays("User", "key must be a string");

    // Empty bodies where a resource is expected; where none is needed they are fine.
    empty_200_on_get: Get, ResponseTemplate::new(200) => Expect::StatusBody(200, "empty body");
    empty_201_on_create: Create, ResponseTemplate::new(201) => Expect::StatusBody(201, "empty body");
    empty_200_on_replace: Replace, ResponseTemplate::new(200) => Expect::StatusBody(200, "empty body");
    empty_200_on_list: List, ResponseTemplate::new(200) => Expect::StatusBody(200, "empty body");
    empty_200_on_search: Search, ResponseTemplate::new(200) => Expect::StatusBody(200, "empty body");
    empty_200_on_config: Config, bare(200, "") => Expect::StatusBody(200, "empty body");
    whitespace_only_200_on_get: Get, raw(200, " \r\n\t ", SCIM_JSON) => Expect::StatusBody(200, "empty body");
    empty_json_object_on_create_lacks_the_id: Create, scim(201, &json!({})) => Expect::Violation("id", scim_client::error::Rule::ReturnedAlways);
    empty_200_on_patch_is_no_resource: Patch, ResponseTemplate::new(200) => Expect::OkWith("None");
    empty_200_on_delete_is_fine: Delete, ResponseTemplate::new(200) => Expect::Ok;
    body_on_204_is_ignored_for_delete: Delete, raw(204, "garbage", "text/html") => Expect::Ok;
}
