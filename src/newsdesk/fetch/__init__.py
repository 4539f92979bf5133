"""Fetch stage: getting a source's documents off the web, politely and safely.

* :mod:`.client` — the HTTP client (limits per host and overall, retries, size cap,
  conditional GET, charsets); :mod:`.browser_tls` — its optional curl_cffi backend;
* :mod:`.guard` — where links found in remote content may lead (public addresses only);
* :mod:`.feeds` — RSS and Atom read with lxml; :mod:`.parse` — items out of RSS, JSON
  and HTML documents as a source describes them;
* :mod:`.documents` — a source's lists and detail pages, its contract, its secrets;
* :mod:`.alerts` — the source-health webhook.

The order of a run (list → details → extract → import → health) is the pipeline's.
"""
