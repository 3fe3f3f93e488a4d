"""Flask extensions, created unbound; create_app binds them."""

from pathlib import Path

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
babel = Babel()
