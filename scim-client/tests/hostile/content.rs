//! HTML error pages, wrong and missing content types, `application/json` (accepted per RFC
//! 7644), content types with parameters or in odd case.

use super::common::{Expect, bare, cases, raw, user_json};
use wiremock::ResponseTemplate;

const HTML: &str =
    "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>";

fn user_bytes() -> Vec<u8> {
    serde_json::to_vec(&user_json("1", "bjensen")).expect("serializes")
}

fn user_as(content_type: &str) -> ResponseTemplate {
    raw(200, user_bytes(), content_type)
}

cases! {
    // HTML pages.
    html_200_on_get: Get, raw(200, HTML, "text/html") => Expect::ContentType(200, Some("text/html"));
    html_200_with_charset_on_list: List, raw(200, HTML, "text/html; charset=utf-8") => Expect::ContentType(200, Some("text/html; charset=utf-8"));
    html_201_on_create: Create, raw(201, HTML, "text/html") => Expect::ContentType(201, Some("text/html"));
    html_200_on_replace: Replace, raw(200, HTML, "text/html") => Expect::ContentType(200, Some("text/html"));
    html_200_on_config: Config, raw(200, HTML, "text/html") => Expect::ContentType(200, Some("text/html"));
    html_200_on_discovery: ResourceTypes, raw(200, HTML, "text/html") => Expect::ContentType(200, Some("text/html"));
    html_200_on_bulk: Bulk, raw(200, HTML, "text/html") => Expect::ContentType(200, Some("text/html"));
    html_500_on_get: Get, raw(500, HTML, "text/html") => Expect::StatusBody(500, "Please sign in");
    html_500_on_search: Search, raw(500, HTML, "text/html") => Expect::StatusBody(500, "<!DOCTYPE html>");
    html_404_on_delete: Delete, raw(404, HTML, "text/html") => Expect::StatusBody(404, "Sign in");
    html_401_on_patch: Patch, raw(401, HTML, "text/html") => Expect::Status(401);
    huge_html_500_is_cut_in_the_error: Get, raw(500, format!("<html>{}</html>", "x".repeat(1_000_000)), "text/html") => Expect::StatusBody(500, "<html>xxx");
    // Other wrong types.
    json_as_text_plain: Get, user_as("text/plain") => Expect::ContentType(200, Some("text/plain"));
    json_as_application_xml: Get, user_as("application/xml") => Expect::ContentType(200, Some("application/xml"));
    json_as_octet_stream: GetGroup, raw(200, r#"{"id":"g1"}"#, "application/octet-stream") => Expect::ContentType(200, Some("application/octet-stream"));
    json_without_any_content_type: Get, bare(200, user_bytes()) => Expect::ContentType(200, None);
    json_as_a_look_alike_media_type: Get, user_as("application/scim+jsonp") => Expect::ContentType(200, Some("application/scim+jsonp"));
    json_as_a_json_suffix_of_another_type: Get, user_as("application/problem+json") => Expect::ContentType(200, Some("application/problem+json"));
    json_with_a_content_type_without_subtype: Get, user_as("application") => Expect::ContentType(200, Some("application"));
    text_plain_ok_on_patch: Patch, raw(200, "OK", "text/plain") => Expect::ContentType(200, Some("text/plain"));
    xml_error_on_400: Create, raw(400, "<error><status>400</status></error>", "application/xml") => Expect::StatusBody(400, "<error>");
    // JSON types that must be accepted.
    application_json_is_accepted: Get, user_as("application/json") => Expect::OkWith("bjensen");
    application_json_is_accepted_on_list: List, raw(200, r#"{"totalResults":0,"Resources":[]}"#, "application/json") => Expect::OkWith("total_results: Some(0)");
    scim_json_with_charset_is_accepted: Get, user_as("application/scim+json; charset=utf-8") => Expect::OkWith("bjensen");
    scim_json_in_upper_case_is_accepted: Get, user_as("APPLICATION/SCIM+JSON") => Expect::OkWith("bjensen");
    json_with_odd_case_and_no_space_is_accepted: Create, raw(201, user_bytes(), "Application/Json;Charset=UTF-8") => Expect::OkWith("bjensen");
    json_with_several_parameters_is_accepted: Get, user_as("application/scim+json; charset=\"utf-8\"; profile=x") => Expect::OkWith("bjensen");
}
