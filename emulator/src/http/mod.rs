//! The ISAPI face over HTTP (being built).
