"""What the registry publishes beyond the blacklist: penalties (Order 45)."""
