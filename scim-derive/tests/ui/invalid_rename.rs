use scim_client::ScimComplex;

#[derive(ScimComplex, Clone, Debug)]
pub struct Interface {
    #[scim(rename = "1abc")]
    pub value: Option<String>,
}

fn main() {}
