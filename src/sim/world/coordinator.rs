//! The group coordinator and the classic rebalance protocol, as timed steps:
//! JoinGroup → (wait for every member, `group.initial.rebalance.delay.ms` for a new group, or
//! the rebalance timeout) → JoinGroup responses → the leader computes the assignment with the
//! group's assignor → SyncGroup → assignments. Members learn that a rebalance started from
//! their next heartbeat response; members that stop heartbeating are removed after
//! `session.timeout.ms`.
//!
//! Eager protocol (range, roundrobin, sticky): a member gives up all its partitions before it
//! rejoins. Cooperative (cooperative-sticky): it keeps them, gives up only those the new
//! assignment moves away, and then rejoins for a follow-up rebalance that hands them to their
//! new owner. Each member follows its own protocol, from its own assignor list (Kafka's
//! default list, range and cooperative-sticky, is eager), whatever the group picked.
//!
//! The group's assignor is the one every member supports that most members prefer
//! (`ClassicGroup.selectProtocol`); a consumer offering none that every member supports is
//! refused with `INCONSISTENT_GROUP_PROTOCOL` and never becomes a member.
//!
//! Simplifications: the coordinator is always reachable (its broker's failure is not
//! modelled); a new member is given its member id on its first JoinGroup (Kafka first answers
//! MEMBER_ID_REQUIRED, costing one more round trip).

use crate::sim::vecmap::VecMap;
use std::collections::BTreeMap;

use crate::sim::assignor::{self, AssignorKind, RebalanceProtocol, TopicPartition};
use crate::sim::client::ConsumerState;
use crate::sim::client::GroupProtocol;
use crate::sim::group::{Group, GroupState, Member};
use crate::sim::trace::{JOIN_ERROR_INCONSISTENT_GROUP_PROTOCOL, Name, RebalanceReason, TraceKind};
use crate::sim::world::{Due, World};

impl World {
    /// The consumer sends JoinGroup (first join, or rejoin after a rebalance started).
    pub(crate) fn send_join(&mut self, id: u32) {
        let Some(c) = self.consumers.get(&id) else {
            return;
        };
        let Some(group) = c.group.clone() else {
            return;
        };
        // `ConsumerCoordinator.onJoinPrepare`: an eager member gives up everything before it
        // rejoins; a cooperative one keeps its partitions. Which one a member is follows from
        // its own assignors, not from the protocol its group picked.
        if c.config.rebalance_protocol() == RebalanceProtocol::Eager {
            self.revoke(id, None);
        }
        let coordinator = self.coordinator_broker(&group);
        let latency = self.latency();
        let now = self.now_ms;
        if let Some(c) = self.consumers.get_mut(&id) {
            c.state = ConsumerState::AwaitingJoin;
        }
        self.emit(TraceKind::JoinGroupSent {
            group,
            consumer: id,
            coordinator,
            sent_at_ms: now,
            arrives_at_ms: now + latency,
        });
        self.schedule(latency, Due::JoinArrives { consumer: id });
    }

    /// Gives up partitions (`None`: all of them), committing first if auto-commit is on, as
    /// the consumer's rebalance listener does.
    fn revoke(&mut self, id: u32, only: Option<&[(Name, u32)]>) {
        let Some(c) = self.consumers.get(&id) else {
            return;
        };
        let Some(group) = c.group.clone() else {
            return;
        };
        let revoked: Vec<(Name, u32)> = match only {
            None => c.assignment.iter().cloned().collect(),
            Some(list) => list.to_vec(),
        };
        if revoked.is_empty() {
            return;
        }
        if c.config.enable_auto_commit {
            self.send_commit(id);
        }
        if let Some(c) = self.consumers.get_mut(&id) {
            if only.is_none() {
                // Eager sticky sends what it owned in its subscription's user data.
                c.previous_assignment = revoked.clone();
            }
            for tp in &revoked {
                c.assignment.remove(tp);
                c.positions.remove(tp);
            }
        }
        self.emit(TraceKind::PartitionsRevoked {
            group,
            consumer: id,
            partitions: revoked,
        });
    }

    pub(crate) fn on_join_arrives(&mut self, id: u32) {
        let Some(c) = self.consumers.get(&id) else {
            return;
        };
        if !c.is_alive() {
            return;
        }
        let Some(group_id) = c.group.clone() else {
            return;
        };
        let classic = c.config.group_protocol == GroupProtocol::Classic;
        let refused = classic
            && self.groups.get(&group_id).is_some_and(|g| {
                g.group_type == GroupProtocol::Classic && !g.supports_protocols(&c.config.assignors)
            });
        if refused {
            self.refuse_join(id, &group_id);
            return;
        }
        let member_id: Name = match &c.member_id {
            Some(m) => m.clone(),
            // A classic member gets `clientId-UUID` from the coordinator; a consumer-protocol
            // member makes up its own id, `Uuid.randomUuid().toString()` (`ConsumerMembershipManager`).
            None if c.config.group_protocol == GroupProtocol::Consumer => {
                super::admin::random_uuid_base64(&mut self.rng).into()
            }
            None => {
                let client = c.config.client_id.clone();
                format!("{client}-{}", uuid_text(&mut self.rng)).into()
            }
        };
        let c = match self.consumers.get_mut(&id) {
            Some(c) => {
                c.member_id = Some(member_id.clone());
                c.clone()
            }
            None => return,
        };
        let now = self.now_ms;
        // `ownedPartitions` is what the member still owns (nothing for an eager member, which
        // revoked everything before rejoining); the eager `StickyAssignor` carries what it last
        // had in its user data instead.
        let owned_now: Vec<(Name, u32)> = c.assignment.iter().cloned().collect();
        let remembered: Vec<(Name, u32)> = if owned_now.is_empty() {
            c.previous_assignment.clone()
        } else {
            owned_now.clone()
        };
        let owned_generation = (!remembered.is_empty() && c.assignment_generation >= 0)
            .then_some(c.assignment_generation);
        let to_tps = |list: &[(Name, u32)]| -> Vec<TopicPartition> {
            list.iter()
                .map(|(t, p)| TopicPartition {
                    topic: t.to_string(),
                    partition: *p,
                })
                .collect()
        };
        let owned = to_tps(&owned_now);
        let sticky_user_data = to_tps(&remembered);
        let initial_delay = self.config.group_initial_rebalance_delay_ms;
        let group = self
            .groups
            .entry(group_id.clone())
            .or_insert_with(|| Group::new(group_id.clone()));
        let is_new = !group.members.contains_key(&member_id);
        if group.members.is_empty() {
            group.group_type = c.config.group_protocol;
        }
        let member = Member {
            owned_generation,
            member_id: member_id.clone(),
            consumer: id,
            client_id: c.config.client_id.clone(),
            subscription: c.subscription.clone(),
            owned,
            sticky_user_data,
            assignors: c.config.assignors.clone(),
            session_timeout_ms: c.config.session_timeout_ms,
            rebalance_timeout_ms: c.config.max_poll_interval_ms,
            last_heartbeat_ms: now,
            joined: true,
            assignment: group
                .members
                .get(&member_id)
                .map(|m| m.assignment.clone())
                .unwrap_or_default(),
            expiry_scheduled: group
                .members
                .get(&member_id)
                .is_some_and(|m| m.expiry_scheduled),
        };
        group.members.insert(member_id.clone(), member);
        let state = group.state;
        match state {
            GroupState::Empty | GroupState::Dead => {
                group.initial_join_until = Some(now + initial_delay);
                self.begin_rebalance(
                    &group_id,
                    RebalanceReason::MemberJoined(member_id.to_string()),
                );
                self.mark_joined(&group_id, &member_id);
                self.schedule(
                    initial_delay,
                    Due::JoinDeadline {
                        group: group_id.clone(),
                        seq: self.groups.get(&group_id).map_or(0, |g| g.rebalance_seq),
                    },
                );
            }
            GroupState::Stable | GroupState::CompletingRebalance => {
                // A known member rejoining (its follow-up after a cooperative round, or after
                // missing a generation) starts a rebalance too.
                let reason = if is_new {
                    RebalanceReason::MemberJoined(member_id.to_string())
                } else {
                    RebalanceReason::CooperativeFollowUp(member_id.to_string())
                };
                self.start_rebalance(&group_id, reason);
                // The joiner has joined in the new round.
                self.mark_joined(&group_id, &member_id);
                self.maybe_complete_join(&group_id);
            }
            GroupState::PreparingRebalance => self.maybe_complete_join(&group_id),
        }
        self.ensure_expiry(&group_id, &member_id);
    }

    /// The coordinator answers `INCONSISTENT_GROUP_PROTOCOL`: none of the consumer's assignors
    /// is supported by every member (`GroupMetadataManager.classicGroupJoinNewMember` /
    /// `classicGroupJoinExistingMember` with `ClassicGroup.supportsProtocols`). The member is not
    /// added and gets no member id; the client logs the fatal error and its `poll` throws
    /// `InconsistentGroupProtocolException` (`AbstractCoordinator.JoinGroupResponseHandler`).
    /// The consumer stays unjoined until its application closes it.
    fn refuse_join(&mut self, id: u32, group_id: &Name) {
        if let Some(c) = self.consumers.get_mut(&id) {
            c.state = ConsumerState::Joining;
        }
        self.emit(TraceKind::JoinGroupFailed {
            group: group_id.clone(),
            consumer: id,
            error: JOIN_ERROR_INCONSISTENT_GROUP_PROTOCOL.to_string(),
        });
    }

    /// Records that `member` has sent JoinGroup in the current round.
    fn mark_joined(&mut self, group_id: &Name, member: &Name) {
        if let Some(m) = self
            .groups
            .get_mut(group_id)
            .and_then(|g| g.members.get_mut(member))
        {
            m.joined = true;
        }
    }

    /// Starts a rebalance unless one is already under way.
    pub(crate) fn start_rebalance(&mut self, group_id: &Name, reason: RebalanceReason) {
        let Some(group) = self.groups.get(group_id) else {
            return;
        };
        if group.state == GroupState::PreparingRebalance {
            return;
        }
        if group.members.is_empty() {
            self.set_group_state(group_id, GroupState::Empty);
            return;
        }
        let timeout = group
            .members
            .values()
            .map(|m| m.rebalance_timeout_ms)
            .max()
            .unwrap_or(300_000);
        self.begin_rebalance(group_id, reason);
        let seq = self.groups.get(group_id).map_or(0, |g| g.rebalance_seq);
        self.schedule(
            timeout,
            Due::JoinDeadline {
                group: group_id.clone(),
                seq,
            },
        );
    }

    fn begin_rebalance(&mut self, group_id: &Name, reason: RebalanceReason) {
        let Some(group) = self.groups.get_mut(group_id) else {
            return;
        };
        group.rebalance_seq += 1;
        group.pending_assignment = None;
        // `resetAndPropagateAssignmentWithError`: SyncGroups still waiting for the leader's
        // are answered REBALANCE_IN_PROGRESS.
        let waiting = std::mem::take(&mut group.sync_waiting);
        for m in group.members.values_mut() {
            m.joined = false;
        }
        for consumer in waiting {
            self.reject_sync(consumer, group_id);
        }
        let Some(group) = self.groups.get(group_id) else {
            return;
        };
        let generation = group.generation;
        self.emit(TraceKind::RebalanceStarted {
            group: group_id.clone(),
            generation,
            reason,
        });
        self.set_group_state(group_id, GroupState::PreparingRebalance);
    }

    fn set_group_state(&mut self, group_id: &Name, state: GroupState) {
        let Some(group) = self.groups.get_mut(group_id) else {
            return;
        };
        if group.state == state {
            return;
        }
        group.state = state;
        self.emit(TraceKind::GroupStateChanged {
            group: group_id.clone(),
            state: state.name().to_string(),
        });
    }

    fn maybe_complete_join(&mut self, group_id: &Name) {
        let now = self.now_ms;
        let Some(group) = self.groups.get(group_id) else {
            return;
        };
        let waiting_initial = group.initial_join_until.is_some_and(|t| now < t);
        if group.state == GroupState::PreparingRebalance && group.all_joined() && !waiting_initial {
            self.complete_join(group_id);
        }
    }

    pub(crate) fn on_join_deadline(&mut self, group_id: &Name, seq: u64) {
        let Some(group) = self.groups.get_mut(group_id) else {
            return;
        };
        if group.rebalance_seq != seq || group.state != GroupState::PreparingRebalance {
            return;
        }
        group.initial_join_until = None;
        // Members that did not rejoin within the rebalance timeout are dropped.
        let gone: Vec<Name> = group
            .members
            .values()
            .filter(|m| !m.joined)
            .map(|m| m.member_id.clone())
            .collect();
        for member in &gone {
            group.members.remove(member);
        }
        for member in gone {
            self.emit(TraceKind::MemberRemoved {
                group: group_id.clone(),
                member_id: member.to_string(),
                reason: RebalanceReason::SessionTimeout(member.to_string()),
            });
        }
        self.complete_join(group_id);
    }

    /// Ends the join phase: a new generation, a protocol, a leader; JoinGroup responses go out.
    fn complete_join(&mut self, group_id: &Name) {
        let Some(group) = self.groups.get_mut(group_id) else {
            return;
        };
        group.initial_join_until = None;
        if group.members.is_empty() {
            group.generation += 1;
            self.set_group_state(group_id, GroupState::Empty);
            return;
        }
        group.generation += 1;
        group.protocol = group.select_protocol();
        let leader_still_here = group
            .leader
            .as_ref()
            .is_some_and(|l| group.members.contains_key(l));
        if !leader_still_here {
            group.leader = group.members.keys().next().cloned();
        }
        group.rebalance_seq += 1;
        let seq = group.rebalance_seq;
        let generation = group.generation;
        let consumers: Vec<u32> = group.members.values().map(|m| m.consumer).collect();
        self.set_group_state(group_id, GroupState::CompletingRebalance);
        for consumer in consumers {
            let latency = self.latency();
            self.schedule(
                latency,
                Due::JoinResponse {
                    consumer,
                    group: group_id.clone(),
                    generation,
                    seq,
                },
            );
        }
    }

    pub(crate) fn on_join_response(&mut self, id: u32, group_id: &Name, generation: i32, seq: u64) {
        let Some(group) = self.groups.get(group_id) else {
            return;
        };
        // A response the coordinator sent stays valid on its way even if a new member started
        // another rebalance meanwhile: the member goes on to SyncGroup, which then answers
        // REBALANCE_IN_PROGRESS (see `on_sync_arrives`), and it rejoins.
        let current = group.rebalance_seq == seq && group.generation == generation;
        let Some(c) = self.consumers.get_mut(&id) else {
            return;
        };
        if !c.is_alive() || c.state != ConsumerState::AwaitingJoin {
            return;
        }
        c.generation = generation;
        c.state = ConsumerState::AwaitingSync;
        let is_leader = group.leader.is_some() && c.member_id == group.leader;
        if current && is_leader {
            let assignment = self.compute_assignment(group_id);
            if let Some(g) = self.groups.get_mut(group_id) {
                g.pending_assignment = Some(assignment);
            }
        }
        let latency = self.latency();
        self.schedule(
            latency,
            Due::SyncArrives {
                consumer: id,
                group: group_id.clone(),
                generation,
            },
        );
    }

    /// The leader's assignment, with the group's assignor, over the members' subscriptions.
    fn compute_assignment(&self, group_id: &Name) -> VecMap<Name, Vec<(Name, u32)>> {
        let Some(group) = self.groups.get(group_id) else {
            return VecMap::new();
        };
        let kind = group.protocol.unwrap_or(AssignorKind::Range);
        let mut partitions_per_topic = BTreeMap::new();
        let mut subscriptions = BTreeMap::new();
        for m in group.members.values() {
            for t in &m.subscription {
                if let Some(topic) = self.topics.get(t.as_str()) {
                    partitions_per_topic.insert(t.clone(), topic.partition_count());
                }
            }
            subscriptions.insert(
                m.member_id.to_string(),
                assignor::Subscription {
                    topics: m.subscription.clone(),
                    owned_partitions: if kind == AssignorKind::Sticky {
                        m.sticky_user_data.clone()
                    } else {
                        m.owned.clone()
                    },
                    generation: m.owned_generation,
                    group_instance_id: None,
                },
            );
        }
        assignor::assign(kind, &partitions_per_topic, &subscriptions)
            .into_iter()
            .map(|(member, tps)| {
                let tps = tps
                    .into_iter()
                    .filter_map(|tp| self.topic_name(&tp.topic).map(|name| (name, tp.partition)))
                    .collect();
                (Name::from(member.as_str()), tps)
            })
            .collect()
    }

    pub(crate) fn on_sync_arrives(&mut self, id: u32, group_id: &Name, generation: i32) {
        let Some(group) = self.groups.get_mut(group_id) else {
            return;
        };
        if group.generation != generation || group.state == GroupState::PreparingRebalance {
            // ILLEGAL_GENERATION / REBALANCE_IN_PROGRESS: the member rejoins.
            self.reject_sync(id, group_id);
            return;
        }
        let from_leader = group.members.values().any(|m| m.consumer == id)
            && group
                .leader
                .as_ref()
                .and_then(|l| group.members.get(l))
                .is_some_and(|m| m.consumer == id);
        if group.state == GroupState::CompletingRebalance && !from_leader {
            group.sync_waiting.push(id);
            return;
        }
        if group.state == GroupState::CompletingRebalance {
            let assignment = group.pending_assignment.take().unwrap_or_default();
            for m in group.members.values_mut() {
                m.assignment = assignment.get(&m.member_id).cloned().unwrap_or_default();
            }
            group.rebalances += 1;
            let mut waiting = std::mem::take(&mut group.sync_waiting);
            waiting.push(id);
            let event = TraceKind::RebalanceCompleted {
                group: group_id.clone(),
                generation,
                leader: group.leader.as_deref().unwrap_or("").to_string(),
                protocol: group.protocol.map_or("range", |p| p.name()).to_string(),
                assignment: group
                    .members
                    .values()
                    .map(|m| (m.member_id.clone(), m.assignment.clone()))
                    .collect(),
            };
            self.set_group_state(group_id, GroupState::Stable);
            self.emit(event);
            for consumer in waiting {
                self.send_sync_response(consumer, group_id, generation);
            }
        } else {
            self.send_sync_response(id, group_id, generation);
        }
    }

    /// Answers a SyncGroup with an error (REBALANCE_IN_PROGRESS or ILLEGAL_GENERATION).
    fn reject_sync(&mut self, id: u32, group_id: &Name) {
        let latency = self.latency();
        self.schedule(
            latency,
            Due::SyncRejected {
                consumer: id,
                group: group_id.clone(),
            },
        );
    }

    /// A SyncGroup error reaches the member: `SyncGroupResponseHandler` requests a rejoin, and
    /// the member sends JoinGroup again with its member id.
    pub(crate) fn on_sync_rejected(&mut self, id: u32, group_id: &Name) {
        let Some(c) = self.consumers.get(&id) else {
            return;
        };
        if !c.is_alive()
            || c.state != ConsumerState::AwaitingSync
            || c.group.as_ref() != Some(group_id)
        {
            return;
        }
        self.send_join(id);
    }

    fn send_sync_response(&mut self, id: u32, group_id: &Name, generation: i32) {
        let assignment = self
            .groups
            .get(group_id)
            .and_then(|g| g.members.values().find(|m| m.consumer == id))
            .map(|m| m.assignment.clone())
            .unwrap_or_default();
        let latency = self.latency();
        self.schedule(
            latency,
            Due::SyncResponse {
                consumer: id,
                group: group_id.clone(),
                generation,
                assignment,
            },
        );
    }

    pub(crate) fn on_sync_response(
        &mut self,
        id: u32,
        group_id: &Name,
        generation: i32,
        assignment: Vec<(Name, u32)>,
    ) {
        let Some(group_generation) = self.groups.get(group_id).map(|g| g.generation) else {
            return;
        };
        let Some(c) = self.consumers.get(&id) else {
            return;
        };
        if !c.is_alive() || generation != group_generation {
            return;
        }
        let member_id = c
            .member_id
            .clone()
            .map(|m| m.to_string())
            .unwrap_or_default();
        let before: Vec<(Name, u32)> = c.assignment.iter().cloned().collect();
        let revoked: Vec<(Name, u32)> = before
            .iter()
            .filter(|tp| !assignment.contains(tp))
            .cloned()
            .collect();
        let cooperative = c.config.rebalance_protocol() == RebalanceProtocol::Cooperative;
        if !revoked.is_empty() {
            self.revoke(id, Some(&revoked));
        }
        let now = self.now_ms;
        let latency = self.latency();
        if let Some(c) = self.consumers.get_mut(&id) {
            c.assignment = assignment.iter().cloned().collect();
            c.positions.retain(|tp, _| assignment.contains(tp));
            c.state = ConsumerState::Active;
            c.assignment_generation = generation;
        }
        self.emit(TraceKind::AssignmentReceived {
            group: group_id.clone(),
            consumer: id,
            member_id,
            generation,
            assigned: assignment,
            revoked: revoked.clone(),
            sent_at_ms: now.saturating_sub(latency),
            arrives_at_ms: now,
        });
        self.init_positions(id);
        self.start_timers(id);
        self.restart_auto_commit(id);
        self.schedule_poll(id, 0);
        if cooperative && !revoked.is_empty() {
            // Cooperative: partitions given up now go to their new owner in a follow-up round.
            self.send_join(id);
        }
    }

    pub(crate) fn on_heartbeat(&mut self, id: u32) {
        let Some(c) = self.consumers.get(&id) else {
            return;
        };
        if !c.is_alive() {
            return;
        }
        let interval = c.config.heartbeat_interval_ms.max(1);
        let state = c.state.clone();
        let (Some(group_id), Some(member_id)) = (c.group.clone(), c.member_id.clone()) else {
            self.schedule(interval, Due::Heartbeat { consumer: id });
            return;
        };
        let now = self.now_ms;
        let known = match self
            .groups
            .get_mut(&group_id)
            .and_then(|g| g.members.get_mut(&member_id))
        {
            Some(m) => {
                m.last_heartbeat_ms = now;
                true
            }
            None => false,
        };
        let rebalancing = self
            .groups
            .get(&group_id)
            .is_some_and(|g| g.state == GroupState::PreparingRebalance);
        let idle = matches!(state, ConsumerState::Active);
        if !known && idle {
            // UNKNOWN_MEMBER_ID: the coordinator dropped it; it rejoins as a new member.
            if let Some(c) = self.consumers.get_mut(&id) {
                c.member_id = None;
                c.generation = -1;
            }
            self.revoke(id, None);
            self.send_join(id);
        } else if known && rebalancing && idle {
            // REBALANCE_IN_PROGRESS in the heartbeat response: rejoin.
            self.send_join(id);
        }
        self.ensure_expiry(&group_id, &member_id);
        self.schedule(interval, Due::Heartbeat { consumer: id });
    }

    fn ensure_expiry(&mut self, group_id: &Name, member_id: &Name) {
        let Some(m) = self
            .groups
            .get_mut(group_id)
            .and_then(|g| g.members.get_mut(member_id))
        else {
            return;
        };
        if m.expiry_scheduled {
            return;
        }
        m.expiry_scheduled = true;
        let at = m.last_heartbeat_ms + m.session_timeout_ms;
        self.schedule_at(
            at,
            Due::SessionExpiry {
                group: group_id.clone(),
                member: member_id.clone(),
            },
        );
    }

    pub(crate) fn on_session_expiry(&mut self, group_id: &Name, member_id: &Name) {
        let now = self.now_ms;
        let Some(m) = self
            .groups
            .get_mut(group_id)
            .and_then(|g| g.members.get_mut(member_id))
        else {
            return;
        };
        m.expiry_scheduled = false;
        let deadline = m.last_heartbeat_ms + m.session_timeout_ms;
        if now < deadline {
            self.ensure_expiry(group_id, member_id);
            return;
        }
        self.remove_member(
            group_id,
            member_id,
            RebalanceReason::SessionTimeout(member_id.to_string()),
        );
    }

    /// Removes a member (LeaveGroup or session timeout) and rebalances the rest.
    pub(crate) fn remove_member(
        &mut self,
        group_id: &Name,
        member_id: &Name,
        reason: RebalanceReason,
    ) {
        let Some(group) = self.groups.get_mut(group_id) else {
            return;
        };
        if group.members.remove(member_id).is_none() {
            return;
        }
        self.emit(TraceKind::MemberRemoved {
            group: group_id.clone(),
            member_id: member_id.to_string(),
            reason: reason.clone(),
        });
        let state = self.groups.get(group_id).map(|g| g.state);
        match state {
            Some(GroupState::PreparingRebalance) => self.maybe_complete_join(group_id),
            Some(_) => self.start_rebalance(group_id, reason),
            None => {}
        }
    }
}

/// A UUID in Java's `UUID.randomUUID().toString()` form (the suffix of Kafka member ids).
fn uuid_text(rng: &mut crate::sim::rng::Rng) -> String {
    let hi = rng.next_u64();
    let lo = rng.next_u64();
    let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}
