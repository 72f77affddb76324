use scim_client::ScimComplex;

#[derive(ScimComplex, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Interface")]
pub struct Interface {
    pub value: Option<String>,
}

fn main() {}
