"""GPX and TCX writers for tests and benchmarks: the same points a watch recorded, as
Garmin Connect and Strava export them. Not part of kneecoach."""

from __future__ import annotations

import datetime as dt

from tests.fitwriter import Point


def _when(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx(points: list[Point], kind: str | None = "running", name: str = "Morning Run") -> bytes:
    """A GPX 1.1 track with Garmin's TrackPointExtension heart rate and cadence; ``kind``
    is the track's <type> (Garmin's word, or Strava's number as text)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="tests" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>{name}</name>" + ("" if kind is None else f"<type>{kind}</type>") + "<trkseg>"
    ]
    for p in points:
        parts.append(
            f'<trkpt lat="{p.lat:.7f}" lon="{p.lon:.7f}"><ele>{p.altitude:.1f}</ele>'
            f"<time>{_when(p.time)}</time><extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{p.heart_rate}</gpxtpx:hr><gpxtpx:cad>{p.cadence}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    parts.append("</trkseg></trk></gpx>")
    return "".join(parts).encode()


def tcx(points: list[Point], sport: str = "Running") -> bytes:
    """A TCX activity of one lap, with the device's distance on every trackpoint."""
    first, last = points[0], points[-1]
    distance = (last.distance or 0.0) - (first.distance or 0.0)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{_when(first.time)}</Id>'
        f'<Lap StartTime="{_when(first.time)}">'
        f"<TotalTimeSeconds>{last.time - first.time}</TotalTimeSeconds>"
        f"<DistanceMeters>{distance:.1f}</DistanceMeters><Track>"
    ]
    for p in points:
        parts.append(
            f"<Trackpoint><Time>{_when(p.time)}</Time><Position>"
            f"<LatitudeDegrees>{p.lat:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{p.lon:.7f}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{p.altitude:.1f}</AltitudeMeters>"
            f"<DistanceMeters>{(p.distance or 0.0) - (first.distance or 0.0):.1f}</DistanceMeters>"
            f"<HeartRateBpm><Value>{p.heart_rate}</Value></HeartRateBpm>"
            f"<Cadence>{p.cadence}</Cadence></Trackpoint>"
        )
    parts.append("</Track></Lap></Activity></Activities></TrainingCenterDatabase>")
    return "".join(parts).encode()
