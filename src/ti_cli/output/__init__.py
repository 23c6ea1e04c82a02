"""What ``ti`` prints: findings in every format CI systems read, tables for people."""
