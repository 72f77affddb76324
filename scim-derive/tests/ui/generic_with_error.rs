use scim_client::{ExtensionSet, Extensions, ScimResource};

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
pub struct Device<E: ExtensionSet = ()> {
    pub id: Option<String>,
    #[scim(mutability = "readonly")]
    pub serial_number: Option<String>,
    #[scim(extension)]
    pub extensions: Extensions<E>,
}

fn main() {}
