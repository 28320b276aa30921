"""Link check of the built site: LinkChecker (.linkchecker), our #anchors (.fragments), .cli."""
