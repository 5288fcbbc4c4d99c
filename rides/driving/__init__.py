"""Volunteer drivers: cars and shifts, their routes and stops, mileage, calendar."""
