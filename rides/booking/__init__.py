"""Ride requests: booking, cancelling, a rider's trips, phone bookings, reminders."""
