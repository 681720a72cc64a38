# An endless loop (press Stop)
n = 0
while True:  # Python runs in a Web Worker: Stop ends it and starts a fresh Python
    n += 1
