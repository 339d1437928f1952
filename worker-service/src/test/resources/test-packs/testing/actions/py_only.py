import json
import sys
print(json.dumps({"parameters": json.load(sys.stdin)}))
