"""The shop's customers: what it stores about the people who buy from it."""

from django.db import models


class Customer(models.Model):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    # Added for delivery texts, but nobody declared it in the data manifest.
    phone = models.CharField(max_length=30, blank=True)
    gender = models.CharField(
        max_length=1, choices=[("m", "Male"), ("f", "Female")], blank=True
    )
    newsletter = models.BooleanField(default=False)
