"""The CRM's tables as the contract names them (docs/contracts.md, ingestion/cassandra/schema.cql).

The reader selects these columns, the demo seeds them and the tests hold rows against them.
"""

# The contract's columns (docs/contracts.md), selected by name so a column added to a CRM table
# later changes nothing here.
CUSTOMER_COLUMNS = (
    "shop_id",
    "customer_id",
    "first_name",
    "last_name",
    "phone",
    "email",
    "birth_year",
    "gender",
    "marketing_opt_in",
    "created_at",
    "updated_at",
)
INQUIRY_COLUMNS = (
    "shop_id",
    "day",
    "created_at",
    "inquiry_id",
    "customer_name",
    "phone",
    "email",
    "age",
    "gender",
    "message",
    "channel",
)
