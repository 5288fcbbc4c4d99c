"""What the service did: monthly figures for funders, the public GTFS-Flex feed."""
