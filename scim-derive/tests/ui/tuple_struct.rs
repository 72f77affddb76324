use scim_client::ScimComplex;

#[derive(ScimComplex, Clone, Debug)]
pub struct Serial(pub String);

fn main() {}
