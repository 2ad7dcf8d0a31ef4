"""The built-in synthetic demo collection: eSpeak NG speech in the 8 CAMEO languages."""

from cameo_bench.demo.generate import demo_dir, ensure_demo, generate_demo
from cameo_bench.demo.spec import DEMO_VERSION, SIZES, DemoSize

__all__ = ["DEMO_VERSION", "SIZES", "DemoSize", "demo_dir", "ensure_demo", "generate_demo"]
