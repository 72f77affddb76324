// The first error points at the field type. KNOWN ISSUE: two copies point at the derive
// (calls spanned at the call site in expand.rs).
use std::collections::HashMap;

use scim_client::ScimComplex;

#[derive(ScimComplex, Clone, Debug)]
pub struct Interface {
    pub value: Option<String>,
    pub labels: HashMap<String, String>,
}

fn main() {}
