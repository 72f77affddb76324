// A type the derive cannot tell from an extension by its name falls through to rustc's trait
// error. KNOWN ISSUE: the `ExtensionField` on_unimplemented message does not fire (the
// `Option<X>` impl matches, then `X: Extension` fails, and `Extension` has no message of its
// own), and a copy of the error points at the derive. Fix: `#[diagnostic::on_unimplemented]`
// on `scim_client::Extension`, and field-type spans for the extension calls in expand.rs.
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
