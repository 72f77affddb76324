// A type the derive cannot tell from an extension by its name falls through to rustc's trait
// error, worded by `Extension`'s `#[diagnostic::on_unimplemented]` and pointing at the field
// type. Rustc also repeats it once at the derive, from the generated trait calls.
use scim_client::{ScimComplex, ScimResource};

#[derive(ScimComplex, Clone, Debug)]
pub struct Interface {
    pub value: Option<String>,
}

#[derive(ScimResource, Clone, Debug)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Device")]
pub struct Device {
    pub id: Option<String>,
    #[scim(extension)]
    pub interface: Option<Interface>,
}

fn main() {}
