//! Examples for scim-client (see the `examples` targets), and the in-memory SCIM server they
//! run against: [`demo_server::DemoServer`], an axum app usable in-process through
//! [`scim_client::transport::TowerTransport`] or over a local socket.

pub mod demo_server;
