//! Scenario presets: one business flow described once, so the comparison can build it both as
//! services calling services and as events on a topic.
//!
//! A preset names the front service (the one the user talks to), its downstream services with
//! their latency and the policy the front uses to call each one synchronously, the topic the
//! event side writes to, and the words the user sees ("registered" / "error").

use serde::{Deserialize, Serialize};

use crate::sim::soa::{CallPolicy, Latency, ServiceSpec};

/// A downstream service: what it does per request (SOA) or per event (EDA).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownstreamSpec {
    /// The service's name; on the event side also its consumer group id.
    pub name: String,
    /// Its work per request or per event.
    pub latency: Latency,
    /// Requests it serves at once (SOA).
    pub concurrency: u32,
    /// Requests that may wait for a slot (SOA).
    pub queue_limit: u32,
    /// How the front service calls it (SOA).
    pub policy: CallPolicy,
}

impl DownstreamSpec {
    /// A downstream service with 8 threads, a queue of 32 and the default call policy
    /// (1000 ms timeout, one retry after 100 ms, fail the request).
    pub fn new(name: &str, latency: Latency) -> Self {
        Self {
            name: name.to_string(),
            latency,
            concurrency: 8,
            queue_limit: 32,
            policy: CallPolicy::default(),
        }
    }

    /// Its SOA service description (`slow_factor` from the comparison's configuration).
    pub fn service_spec(&self, slow_factor: u32) -> ServiceSpec {
        ServiceSpec {
            name: self.name.clone(),
            latency: self.latency,
            concurrency: self.concurrency,
            queue_limit: self.queue_limit,
            slow_factor,
        }
    }
}

/// A business flow, described once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preset {
    /// What the learner picks ("User registration").
    pub title: String,
    /// The service the user talks to.
    pub front: ServiceSpec,
    /// The services that react to each request, in the order the front calls them.
    pub downstream: Vec<DownstreamSpec>,
    /// The topic the front writes its event to on the event side.
    pub topic: String,
    /// The event's name, written in each record's value.
    pub event: String,
    /// Record keys are `{key_prefix}-{request}`.
    pub key_prefix: String,
    /// What the user sees when the request succeeds ("registered").
    pub success: String,
    /// What the user sees when it fails ("error").
    pub failure: String,
}

impl Preset {
    /// User registration: the account service; welcome email, analytics, CRM sync.
    pub fn user_registration() -> Self {
        Self {
            title: "User registration".to_string(),
            front: ServiceSpec {
                concurrency: 32,
                queue_limit: 128,
                ..ServiceSpec::new(
                    "account-service",
                    Latency::uniform(10, 30).with_tail(10, 100),
                )
            },
            downstream: vec![
                DownstreamSpec::new("email-service", Latency::uniform(20, 60).with_tail(10, 200)),
                DownstreamSpec::new("analytics", Latency::uniform(5, 15)),
                DownstreamSpec::new("crm-sync", Latency::uniform(30, 90).with_tail(10, 300)),
            ],
            topic: "user-registered".to_string(),
            event: "UserRegistered".to_string(),
            key_prefix: "user".to_string(),
            success: "registered".to_string(),
            failure: "error".to_string(),
        }
    }

    /// Order placement: the order service; payment, inventory, shipping, notification.
    pub fn order_placement() -> Self {
        Self {
            title: "Order placement".to_string(),
            front: ServiceSpec {
                concurrency: 32,
                queue_limit: 128,
                ..ServiceSpec::new("order-service", Latency::uniform(10, 40).with_tail(10, 100))
            },
            downstream: vec![
                DownstreamSpec::new("payment", Latency::uniform(40, 120).with_tail(10, 400)),
                DownstreamSpec::new("inventory", Latency::uniform(10, 30)),
                DownstreamSpec::new("shipping", Latency::uniform(20, 80)),
                DownstreamSpec::new("notification", Latency::uniform(20, 60).with_tail(10, 200)),
            ],
            topic: "order-placed".to_string(),
            event: "OrderPlaced".to_string(),
            key_prefix: "order".to_string(),
            success: "ordered".to_string(),
            failure: "error".to_string(),
        }
    }

    /// Every preset, in menu order.
    pub fn all() -> Vec<Preset> {
        vec![Self::user_registration(), Self::order_placement()]
    }
}
