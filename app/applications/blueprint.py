"""The membership area's blueprint: the public application (public.py), the
Secretariat's review (review.py), the partner directory (directory.py) and the membership
categories (categories.py) each add their routes to it."""

from flask import Blueprint

bp = Blueprint("applications", __name__)
