//! One page whose counts lie: `list` answers the page as received (the resources are the
//! truth, the counts are reported as the server wrote them); negative counts are decode errors.

use super::common::{Expect, cases, page, page_json, scim, user_json};
use serde_json::json;

cases! {
    total_results_smaller_than_the_resources: List, page(&json!({"totalResults": 1})) => Expect::OkWith("total_results: Some(1)");
    total_results_larger_than_the_resources: List, page(&json!({"totalResults": 1_000_000})) => Expect::OkWith("u2");
    total_results_zero_with_resources: Search, page(&json!({"totalResults": 0})) => Expect::OkWith("u1");
    items_per_page_larger_than_the_resources: List, page(&json!({"itemsPerPage": 100})) => Expect::OkWith("u2");
    items_per_page_zero_with_resources: ListGroup, scim(200, &page_json(&[json!({"id": "g1", "displayName": "x"})], &json!({"itemsPerPage": 0}))) => Expect::OkWith("g1");
    start_index_zero: List, page(&json!({"startIndex": 0})) => Expect::OkWith("start_index: Some(0)");
    start_index_beyond_the_total: RootSearch, page(&json!({"startIndex": 99})) => Expect::OkWith("u1");
    resources_missing_while_total_results_is_positive: List, page(&json!({"Resources": null, "totalResults": 5})) => Expect::OkWith("resources: []");
    resources_null: List, scim(200, &json!({"totalResults": 0, "Resources": null})) => Expect::OkWith("resources: []");
    items_per_page_negative: List, page(&json!({"itemsPerPage": -2})) => Expect::Decode("ListResponse", "itemsPerPage");
    start_index_beyond_u64: List, page(&json!({"startIndex": 1e30})) => Expect::Decode("ListResponse", "startIndex");
    ten_thousand_resources_on_one_page: List, scim(200, &page_json(&(0..10_000).map(|i| user_json(&format!("u{i}"), "x")).collect::<Vec<_>>(), &json!({"totalResults": 3}))) => Expect::OkWith("u9999");
}
