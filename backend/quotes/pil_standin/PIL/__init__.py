"""Device-only stand-in for Pillow: reportlab imports ``PIL.Image`` at start, quotes need none.

Pyodide cannot load Pillow from our sources, and ``reportlab.lib.utils`` does
``from PIL import Image`` unconditionally. Put the directory holding this package first on
``sys.path`` on the device only. With ``Image = None`` reportlab sets ``haveImages = False``;
the quote template embeds logos as JPEG bytes, which reportlab reads without Pillow. The cost:
PNG/GIF images and ``ImageReader`` cannot be used on the device.
"""

Image = None
