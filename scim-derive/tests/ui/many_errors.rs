use scim_client::ScimResource;

#[derive(ScimResource, Clone, Debug)]
#[scim(
    schema = "urn:example:params:scim:schemas:2.0:Device",
    endpoint = "Devices"
)]
pub struct Device {
    pub id: Option<String>,
    #[scim(mutable = "readOnly")]
    pub serial_number: Option<String>,
    #[scim(returned = "sometimes", uniqueness = "unique")]
    pub model: Option<String>,
    #[scim(rename = "SerialNumber")]
    pub serial: Option<String>,
    pub schemas: Vec<String>,
}

fn main() {}
