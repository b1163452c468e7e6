//! Offline validation: every rule that needs neither a connector nor the control plane.
