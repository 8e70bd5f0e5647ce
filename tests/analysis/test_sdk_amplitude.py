"""Amplitude: the event name and properties live in ``BaseEvent``; ``track`` sends it, also
through a client imported from another module. ``Identify().set(key, value)`` sends user
properties."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "game/amplitude_client.py": """
        from amplitude import Amplitude, Config

        amplitude = Amplitude("API_KEY", configuration=Config(flush_queue_size=50))

        LEVEL_UP = "Level Up"
    """,
    "game/progress.py": """
        from amplitude import BaseEvent, EventOptions, Identify

        from game.amplitude_client import LEVEL_UP, amplitude

        def level_up(player, level):
            properties = {"level": level}
            amplitude.track(BaseEvent(LEVEL_UP, user_id=player.id, event_properties=properties))
            lost = BaseEvent("Game Over", player.id, event_properties={"score": player.score})
            amplitude.track(lost)  # expect: PRV102

        def purchase(player, item):
            event = BaseEvent(
                event_type="Item Purchased",
                user_id=player.id,
                event_properties={"item": item.sku, "card": player.card_number},
            )
            amplitude.track(event)  # expect: PRV605

        def profile(player):
            # expect: PRV605
            identify = Identify().set("level", player.level).set("email", player.email)
            amplitude.identify(identify, EventOptions(user_id=player.id))
    """,
}

MANIFEST = manifest(
    ["amplitude"],
    event("Level Up", "amplitude", properties=("level",)),
    event("Item Purchased", "amplitude", properties=("item",)),
    event("user", "amplitude", kind="identify", properties=("level",)),
)


def test_amplitude_event_objects(catalog):
    progress = lines(FILES, "game/progress.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "amplitude") == {
        (*progress("BaseEvent(LEVEL_UP"), "Level Up", "declared"),
        (*progress("amplitude.track(lost)"), "Game Over", "undeclared"),
        (*progress("amplitude.track(event)"), "Item Purchased", "declared"),
        (*progress("Identify().set("), "identify", "declared"),
        (*progress("amplitude.identify("), "identify", "declared"),
    }
