"""What the registry publishes beyond the blacklist: penalties (Order 45) and
sampling-result announcements (抽查结果公示)."""
