import json
print(json.dumps({"picked": "py"}))
