use std::collections::HashMap;

use scim_client::ScimComplex;

#[derive(ScimComplex, Clone, Debug)]
pub struct Interface {
    pub value: Option<String>,
    pub labels: HashMap<String, String>,
}

fn main() {}
