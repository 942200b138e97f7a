"""Event sources that are not the native JSON contract: adapters that validate a foreign
payload against its official schema and map it to native :class:`autoreply.events.Event` s.

- :mod:`autoreply.sources.amazon`: SP-API notifications (validation and pure mapping).
- :mod:`autoreply.sources.amazon_state`: the little state the mapping needs (orders seen in
  ORDER_CHANGE, last stock per SKU) and the intake glue that persists events first.
"""
