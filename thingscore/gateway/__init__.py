"""``things gateway``: the WebSocket door through which web pages reach the cluster.

- :mod:`.wire`: the page <-> gateway protocol (frames, version, error codes);
- :mod:`.auth`: who a page is (a challenge signed with its ``browser`` key);
- :mod:`.owners`: which page owns which program;
- :mod:`.channel`: a program's message channel, exactly once and in order across moves;
- :mod:`.placement`: where a program goes when the page names no worker;
- :mod:`.door`: the operations, in the cluster, through the Dispatcher;
- :mod:`.server`: the WebSocket server.
"""
