use scim_client::{ScimExtension, ScimResource};

#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(schema = "urn:example:params:scim:schemas:extension:2.0:Vendor")]
pub struct Vendor {
    pub code: Option<String>,
}

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
pub struct Device {
    pub id: Option<String>,
    #[scim(extension, rename = "vendorExtension")]
    pub vendor: Option<Vendor>,
}

fn main() {}
