use scim_client::{ScimComplex, ScimExtension};

#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(schema = "urn:example:params:scim:schemas:extension:2.0:Vendor")]
pub struct Vendor {
    pub code: Option<String>,
}

#[derive(ScimComplex, Clone, Debug)]
pub struct Interface {
    pub value: Option<String>,
    #[scim(extension)]
    pub vendor: Option<Vendor>,
}

fn main() {}
