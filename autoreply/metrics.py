"""Prometheus metrics, defined in one place and updated by the stage that knows the fact.

One registry per process; ``GET /metrics`` exposes it. Label values are small closed sets
(platform, rule, state, status code) — never ids or buyer data.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

EVENTS_IN = Counter("autoreply_events_received_total", "Events accepted into the inbox",
                    ["source"], registry=REGISTRY)
EVENTS_DUPLICATE = Counter("autoreply_events_duplicate_total", "Events whose id was already in the inbox",
                           ["source"], registry=REGISTRY)
EVENTS_PROCESSED = Counter("autoreply_events_processed_total", "Events run through the pipeline",
                           ["outcome"], registry=REGISTRY)
DECISIONS = Counter("autoreply_decisions_total", "Pipeline decisions per rule",
                    ["rule", "decision"], registry=REGISTRY)
MESSAGES = Gauge("autoreply_messages", "Outbox rows by state", ["state"], registry=REGISTRY)
SENDS = Counter("autoreply_sends_total", "Send attempts by channel, outcome and status code",
                ["channel", "outcome", "status_code"], registry=REGISTRY)
SEND_LATENCY = Histogram("autoreply_send_seconds", "Time one send batch took, per channel",
                         ["channel"], registry=REGISTRY,
                         buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
LATENESS = Histogram("autoreply_send_lateness_seconds", "Actual send time minus due time",
                     registry=REGISTRY, buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600))
RATE_LIMITED = Counter("autoreply_rate_limited_total",
                       "Dispatch passes that found a sender's token bucket empty (messages wait)",
                       ["channel"], registry=REGISTRY)
DEAD_LETTERS = Counter("autoreply_dead_letters_total",
                       "Messages given up on after retries: attempts used up or too old",
                       ["reason"], registry=REGISTRY)
SUPERSEDED = Counter("autoreply_superseded_total",
                     "Pending messages superseded by a newer event of their thread",
                     registry=REGISTRY)
SLA_BREACHES = Counter("autoreply_sla_breaches_total", "Conversations that passed a response deadline",
                       ["platform", "deadline"], registry=REGISTRY)
CONFIG_RELOADS = Counter("autoreply_config_reloads_total", "Config reload attempts", ["result"],
                         registry=REGISTRY)
CONFIG_LAST_RELOAD_OK = Gauge("autoreply_config_last_reload_success",
                              "1 if the last config reload succeeded, 0 if it failed", registry=REGISTRY)
CONFIG_LAST_RELOAD_OK.set(1)

# -- service (HTTP intake, Amazon notifications, lifecycle) ------------------------------
INBOX = Gauge("autoreply_inbox_events", "Inbox rows by status (new, done, error)",
              ["status"], registry=REGISTRY)
HTTP_REQUESTS = Counter("autoreply_http_requests_total",
                        "HTTP intake requests by route and status code",
                        ["route", "status_code"], registry=REGISTRY)
AMAZON_NOTIFICATIONS = Counter("autoreply_amazon_notifications_total",
                               "Amazon notifications by type and result (accepted, invalid)",
                               ["type", "result"], registry=REGISTRY)
WATCHDOG_PINGS = Counter("autoreply_watchdog_pings_total", "systemd watchdog keep-alives sent",
                         registry=REGISTRY)
