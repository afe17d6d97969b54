from internkontroll.trail.management.commands._refused import RefusedCommand as Command

__all__ = ["Command"]
